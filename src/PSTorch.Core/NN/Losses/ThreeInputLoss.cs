namespace PSTorch.NN;

/// <summary>
/// Base of the losses that take three tensors (MarginRankingLoss's input1, input2, target; TripletMarginLoss's
/// anchor, positive, negative; GaussianNLLLoss's input, target, var): Call(a, b, c).
/// </summary>
public abstract class ThreeInputLoss(string reduction) : Loss(reduction)
{
    public abstract Tensor Forward(Tensor first, Tensor second, Tensor third);

    /// <summary>loss(first, second, third).</summary>
    public Tensor Call(Tensor first, Tensor second, Tensor third) => Forward(first, second, third);

    public override Tensor Forward(Tensor input, Tensor target) =>
        throw new ArgumentException($"{GetType().Name}.Forward needs three tensors: Forward({InputNames})");

    /// <summary>The three inputs as PyTorch names them, for the error above.</summary>
    private protected abstract string InputNames { get; }
}
