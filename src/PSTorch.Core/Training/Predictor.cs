using PSTorch.NN;
using PSTorch.Vision;

namespace PSTorch.Training;

/// <summary>Runs a classifier in eval mode under no-grad and turns its outputs (logits, [N, C]) into <see cref="Prediction"/>s.</summary>
public sealed class Predictor
{
    /// <param name="model">The classifier.</param>
    /// <param name="classNames">Names by class index (null: predictions carry the index only).</param>
    /// <param name="transform">Turns a decoded image into the model's input tensor (null: ToTensor).</param>
    /// <param name="device">Where to run (null: the model's device).</param>
    public Predictor(Module model, IReadOnlyList<string>? classNames = null, Transform? transform = null, Device? device = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        ClassNames = classNames;
        Transform = transform ?? new ToTensor();
        Device = device ?? Evaluation.ModelDevice(model);
    }

    public Module Model { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public Transform Transform { get; }
    public Device Device { get; }

    /// <summary>
    /// Predictions for a batch (dim 0 = samples) or, when <paramref name="isBatch"/> is false, for one sample (a batch
    /// dimension is added). Each prediction's Input is <paramref name="firstIndex"/> + its row.
    /// </summary>
    public IReadOnlyList<Prediction> Predict(Tensor input, bool isBatch = true, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        var batch = isBatch ? input : input.Unsqueeze(0);
        try
        {
            return Run(batch, Enumerable.Range(firstIndex, (int)batch.Size(0)).Cast<object>().ToArray());
        }
        finally
        {
            if (!ReferenceEquals(batch, input)) batch.Dispose();
        }
    }

    /// <summary>The prediction for an image file: decoded, transformed, then run as a batch of one.</summary>
    public Prediction PredictImage(string path)
    {
        using var image = Image.Load(path);
        var transformed = Transform.Apply(image);
        var tensor = transformed as Tensor
            ?? throw new ArgumentException($"the transform should turn the image into a tensor (end it with ToTensor), got {transformed?.GetType().Name ?? "null"}");
        using var batch = tensor.Unsqueeze(0);
        try
        {
            return Run(batch, [path])[0];
        }
        finally
        {
            tensor.Dispose();
        }
    }

    IReadOnlyList<Prediction> Run(Tensor batch, object[] inputs)
    {
        bool wasTraining = Model.Training;
        Model.Eval();
        try
        {
            using var noGrad = Torch.NoGrad();
            using var onDevice = batch.To(Device) is var moved && ReferenceEquals(moved, batch) ? null : moved;
            var output = Model.Call(onDevice ?? batch);
            if (output.NDim != 2 || output.Size(0) != inputs.Length)
                throw new ArgumentException($"the model's output for {inputs.Length} input(s) has shape {Shapes.Format(output.ShapeRef)}; predictions need class scores [N, C]");
            using var probabilities = output.Softmax(1);
            if (!ReferenceEquals(output, onDevice ?? batch)) output.Dispose();
            using var onCpu = probabilities.To(PSTorch.Device.Cpu).Contiguous();
            var values = onCpu.To(DType.Float32).ToArray<float>();
            int classes = (int)onCpu.Size(1);
            var result = new Prediction[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                var row = values.AsSpan(i * classes, classes).ToArray();
                int best = 0;
                for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                var name = ClassNames is not null && best < ClassNames.Count ? ClassNames[best] : null;
                result[i] = new Prediction(inputs[i], best, name, row[best], row);
            }
            return result;
        }
        finally
        {
            Model.Train(wasTraining);
        }
    }
}
