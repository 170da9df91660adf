namespace PSTorch.Backends.Cuda;

/// <summary>
/// The kernels libpstorch_cuda does not have yet (convolution, pooling, losses, GELU, fused optimizer steps,
/// gather/scatter and index preparation): PyTorch's "not implemented" error, never a silent copy to the CPU.
/// </summary>
internal sealed partial class CudaBackend
{
    public void Conv2d(Tensor output, Tensor input, Tensor weight, Tensor? bias, in Conv2dGeometry g) => throw NotImplemented("conv2d");
    public void Conv2dBackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, in Conv2dGeometry g) => throw NotImplemented("conv2d_backward_input");
    public void Conv2dBackwardWeight(Tensor gradWeight, Tensor gradOutput, Tensor input, in Conv2dGeometry g) => throw NotImplemented("conv2d_backward_weight");
    public void Conv2dBackwardBias(Tensor gradBias, Tensor gradOutput) => throw NotImplemented("conv2d_backward_bias");

    public void MaxPool2d(Tensor output, Tensor indices, Tensor input, in Pool2dGeometry g) => throw NotImplemented("max_pool2d");
    public void MaxPool2dBackward(Tensor gradInput, Tensor gradOutput, Tensor indices, in Pool2dGeometry g) => throw NotImplemented("max_pool2d_backward");
    public void AvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g, bool countIncludePad, long divisorOverride) => throw NotImplemented("avg_pool2d");
    public void AvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g, bool countIncludePad, long divisorOverride) =>
        throw NotImplemented("avg_pool2d_backward");
    public void AdaptiveAvgPool2d(Tensor output, Tensor input, in Pool2dGeometry g) => throw NotImplemented("adaptive_avg_pool2d");
    public void AdaptiveAvgPool2dBackward(Tensor gradInput, Tensor gradOutput, in Pool2dGeometry g) => throw NotImplemented("adaptive_avg_pool2d_backward");

    public void NllLoss(Tensor output, Tensor totalWeight, Tensor logProbs, Tensor target, Tensor? weight, long ignoreIndex, LossReduction reduction) =>
        throw NotImplemented("nll_loss");
    public void NllLossBackward(Tensor gradInput, Tensor gradOutput, Tensor target, Tensor? weight, Tensor totalWeight, long ignoreIndex, LossReduction reduction) =>
        throw NotImplemented("nll_loss_backward");

    public void Gelu(Tensor output, Tensor input, bool tanhApproximation) => throw NotImplemented("gelu");
    public void GeluBackward(Tensor gradInput, Tensor gradOutput, Tensor input, bool tanhApproximation) => throw NotImplemented("gelu_backward");

    public void AdamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step) => throw NotImplemented("_fused_adam");
    public void SgdStep(Tensor param, Tensor grad, Tensor? momentumBuffer, bool initializeBuffer, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize) => throw NotImplemented("_fused_sgd");

    public void Gather(Tensor dst, Tensor src, int dim, Tensor index) => throw NotImplemented("gather");
    public void Scatter(Tensor dst, int dim, Tensor index, Tensor src, bool accumulate) => throw NotImplemented(accumulate ? "scatter_add" : "scatter");
    public Tensor Nonzero(Tensor mask) => throw NotImplemented("nonzero");
    public void WrapIndex(Tensor index, long size, int dim) => throw NotImplemented("index");
}
