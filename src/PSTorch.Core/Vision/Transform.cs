using PSTorch.Data;

namespace PSTorch.Vision;

/// <summary>
/// An image/tensor transform (torchvision.transforms). Random transforms draw from <see cref="SampleRandom.Current"/>,
/// which the DataLoader seeds per sample so epochs are reproducible.
/// </summary>
public abstract class Transform
{
    public abstract object Apply(object input);

    public override string ToString() => GetType().Name + "()";

    protected Image ExpectImage(object input) => input as Image
        ?? throw new ArgumentException($"{GetType().Name} expects an Image (put it before ToTensor), got {(input is Tensor t ? $"a tensor of shape {Shapes.Format(t.ShapeRef)}" : input?.GetType().Name ?? "null")}");

    protected Tensor ExpectTensor(object input) => input as Tensor
        ?? throw new ArgumentException($"{GetType().Name} expects a tensor (put ToTensor before it), got {input?.GetType().Name ?? "null"}");

    /// <summary>A transform from a delegate (torchvision's Lambda).</summary>
    public static Transform From(Func<object, object> function) => new Lambda(function);
}

/// <summary>Applies transforms in order; intermediate images are released as soon as the next step has used them.</summary>
public sealed class Compose : Transform
{
    public Compose(params Transform[] transforms) => Transforms = transforms;
    public Compose(IEnumerable<Transform> transforms) : this(transforms.ToArray()) { }

    public IReadOnlyList<Transform> Transforms { get; }

    public override object Apply(object input)
    {
        var current = input;
        for (int i = 0; i < Transforms.Count; i++)
        {
            var t = Transforms[i];
            object next;
            // ToTensor followed by Normalize: one pass from pixels to normalized floats (the usual end of a pipeline).
            if (t is ToTensor && current is Image image && i + 1 < Transforms.Count && Transforms[i + 1] is Normalize normalize && normalize.CanFuseWith(image))
            {
                next = ToTensor.Convert(image, normalize.MeanSingle, normalize.StdSingle);
                i++;
            }
            else next = t.Apply(current);
            if (current is Image intermediate && !ReferenceEquals(current, input) && !ReferenceEquals(next, current)) intermediate.Dispose();
            current = next;
        }
        return current;
    }

    public override string ToString() => "Compose(" + string.Join(", ", Transforms) + ")";
}

/// <summary>torchvision.transforms.Lambda: any function of the sample.</summary>
public sealed class Lambda : Transform
{
    readonly Func<object, object> function;
    public Lambda(Func<object, object> function) => this.function = function;
    public override object Apply(object input) => function(input);
}
