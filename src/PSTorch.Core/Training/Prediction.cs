namespace PSTorch.Training;

/// <summary>A model's prediction for one input: the most probable class (index and name when known), its probability, all class probabilities, and which input it was.</summary>
public sealed class Prediction
{
    internal Prediction(object input, int classIndex, string? className, double probability, float[] probabilities)
    {
        Input = input;
        ClassIndex = classIndex;
        ClassName = className;
        Probability = probability;
        this.probabilities = probabilities;
    }

    readonly float[] probabilities;

    /// <summary>The input's identity: a file path, or the sample's index in the tensor it came from.</summary>
    public object Input { get; }
    public int ClassIndex { get; }
    public string? ClassName { get; }

    /// <summary>The class's softmax probability.</summary>
    public double Probability { get; }

    /// <summary>Every class's probability, by class index.</summary>
    public float[] GetProbabilities() => (float[])probabilities.Clone();

    public override string ToString() => $"{Input}: {ClassName ?? ClassIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({Probability:P1})";
}
