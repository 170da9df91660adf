using System.Globalization;

namespace PSTorch.NN.Utils;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): scales or clamps .Grad in place.</summary>
public static class ClipGrad
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> so that their total norm of order <paramref name="normType"/>
    /// (the norm of all gradients taken together as one vector; <see cref="double.PositiveInfinity"/> for the max norm)
    /// is at most <paramref name="maxNorm"/>, and returns that total norm (before clipping) as a tensor.
    /// </summary>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        using var _ = Torch.NoGrad();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return Torch.NewTensor(0.0, DType.Float32);
        var norms = grads.Select(g => g.Norm(normType)).ToArray();
        var totalNorm = Torch.Stack(norms.Select(n => n.To(norms[0].DType)).ToArray()).Norm(normType);
        if (errorIfNonfinite && !double.IsFinite(totalNorm.Item<double>()))
            throw new InvalidOperationException(
                $"The total norm of order {PythonFloat(normType)} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
        // Kept as a tensor (no read back to the host), clamped so gradients are only ever scaled down.
        var clipCoefficient = (maxNorm / (totalNorm + 1e-6)).ClampMax_(1.0);
        foreach (var g in grads) g.Mul_(clipCoefficient.To(g.DType));
        return totalNorm;
    }

    public static Tensor ClipGradNorm_(Tensor parameter, double maxNorm, double normType = 2, bool errorIfNonfinite = false) =>
        ClipGradNorm_([parameter], maxNorm, normType, errorIfNonfinite);

    /// <summary>Clamps every gradient element of <paramref name="parameters"/> into [-clipValue, clipValue].</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        using var _ = Torch.NoGrad();
        foreach (var p in parameters) p.Grad?.Clamp_(-clipValue, clipValue);
    }

    public static void ClipGradValue_(Tensor parameter, double clipValue) => ClipGradValue_([parameter], clipValue);

    /// <summary>How Python prints a float in PyTorch's message: 2.0, inf, 0.5.</summary>
    static string PythonFloat(double v) => double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf"
        : v == Math.Floor(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);
}
