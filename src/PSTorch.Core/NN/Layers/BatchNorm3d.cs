namespace PSTorch.NN;

/// <summary>torch.nn.BatchNorm3d: input [N, C, D, H, W].</summary>
public class BatchNorm3d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType? dtype = null, Device? device = null)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
{
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.NDim != 5) throw new ArgumentException($"expected 5D input (got {input.NDim}D input)");
    }
}
