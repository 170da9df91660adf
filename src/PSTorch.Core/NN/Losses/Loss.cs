namespace PSTorch.NN;

/// <summary>Base of the loss modules: Forward(input, target) with a reduction ("mean", "sum", "none").</summary>
public abstract class Loss : Module
{
    protected Loss(string reduction)
    {
        if (reduction is not ("mean" or "sum" or "none" or "batchmean"))
            throw new ArgumentException($"{reduction} is not a valid value for reduction");
        Reduction = reduction;
    }

    public string Reduction { get; }

    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>loss(input, target).</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    public override Tensor Forward(Tensor input) =>
        throw new ArgumentException($"{GetType().Name}.Forward needs an input and a target: Forward(input, target)");

    /// <summary>An optional weight tensor registered as a buffer, so it moves with To(device).</summary>
    protected Tensor? Weight(string name) => GetBuffer(name);
}
