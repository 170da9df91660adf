namespace PSTorch.NN;

public static partial class Functional
{
    /// <summary>normalize(input, p, dim, eps): input / max(‖input‖_p along dim, eps).</summary>
    public static Tensor Normalize(Tensor input, double p = 2.0, int dim = 1, double eps = 1e-12) =>
        input / input.Norm(p, dim, keepDim: true).ClampMin(eps).ExpandAs(input);
}
