namespace PSTorch.Autograd;

/// <summary>Finite-difference verification of autograd's Jacobians (torch.autograd.gradcheck).</summary>
internal static class GradientCheck
{
    public static unsafe bool Run(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps, double atol, double rtol, bool raise)
    {
        foreach (var x in inputs)
            if (x.RequiresGrad && x.DType != DType.Float64)
                throw new ArgumentException($"gradcheck expects float64 inputs that require grad (got {x.DType.Name()}); finite differences in lower precision are not meaningful.");
        Tensor output;
        using (GradMode.Set(true)) output = function(inputs);
        long outN = output.Numel();
        var diff = inputs.Where(x => x.RequiresGrad).ToArray();

        for (int i = 0; i < diff.Length; i++)
        {
            var x = diff[i];
            long inN = x.Numel();
            var numerical = new double[inN, outN];
            var analytical = new double[inN, outN];

            // numerical: perturb one input element at a time through .Data (not recorded, not version-checked)
            var data = x.Data;
            for (long j = 0; j < inN; j++)
            {
                var at = ElementView(data, j);
                double orig = (double)at.Item();
                Tensor plus, minus;
                using (GradMode.Set(false))
                {
                    at.Fill_(orig + eps);
                    plus = function(inputs).To(DType.Float64).Contiguous();
                    at.Fill_(orig - eps);
                    minus = function(inputs).To(DType.Float64).Contiguous();
                    at.Fill_(orig);
                }
                var p = plus.ToArray<double>();
                var m = minus.ToArray<double>();
                for (long k = 0; k < outN; k++) numerical[j, k] = (p[k] - m[k]) / (2 * eps);
            }

            // analytical: one backward per output element with a one-hot gradient
            for (long k = 0; k < outN; k++)
            {
                var onehot = Torch.Zeros(output.ShapeRef, output.DType);
                ElementView(onehot, k).Fill_(1);
                var g = Torch.Grad([output], [x], [onehot], retainGraph: true, allowUnused: true)[0];
                if (g == null) continue;
                var ga = g.To(DType.Float64).Contiguous().ToArray<double>();
                for (long j = 0; j < inN; j++) analytical[j, k] = ga[j];
            }

            for (long j = 0; j < inN; j++)
                for (long k = 0; k < outN; k++)
                {
                    double a = analytical[j, k], n = numerical[j, k];
                    if (!(Math.Abs(a - n) <= atol + rtol * Math.Abs(n)))
                    {
                        if (!raise) return false;
                        throw new InvalidOperationException(
                            $"Jacobian mismatch for output 0 with respect to input {Array.IndexOf(inputs, x)}: at input element {j}, output element {k}: numerical {n:G9}, analytical {a:G9}.");
                    }
                }
        }
        return true;
    }

    /// <summary>A one-element view of element <paramref name="flat"/> (row-major index) of t.</summary>
    static Tensor ElementView(Tensor t, long flat)
    {
        var shape = t.ShapeRef;
        var st = t.StridesRef;
        long offset = t.StorageOffset;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            offset += flat % shape[d] * st[d];
            flat /= shape[d];
        }
        return t.AsStridedView([], [], offset);
    }
}
