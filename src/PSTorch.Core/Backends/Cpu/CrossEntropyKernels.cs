using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// cross_entropy of contiguous [rows, classes] logits with class-index targets, log-softmax fused in: the forward
/// keeps only each row's logsumexp (no [rows, classes] log-probabilities), the backward writes the gradient from
/// exp(x - lse) in one pass instead of nll_loss's scattered gradient followed by log_softmax's.
/// </summary>
internal static unsafe class CrossEntropyKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows shorter than a 512-bit vector of floats take plain loops rather than span calls' set-up per row.</summary>
    const int ShortRow = 16;

    unsafe readonly struct SmoothedRowLoss : IRowLoss
    {
        public T* Logits { get; init; }
        public T* Lse { get; init; }
        public T* Weight { get; init; }
        public long Classes { get; init; }
        public double Smoothing { get; init; }

        public double Loss(long row, long target, double weight)
        {
            T* x = Logits + row * Classes;
            double lse = double.CreateTruncating(Lse[row]);
            double nll = -weight * (double.CreateTruncating(x[target]) - lse);
            if (Smoothing == 0) return nll;
            double smooth = 0;
            for (long j = 0; j < Classes; j++)
                smooth += (Weight == null ? 1 : double.CreateTruncating(Weight[j])) * (double.CreateTruncating(x[j]) - lse);
            return (1 - Smoothing) * nll - Smoothing / Classes * smooth;
        }
    }

    public static void Forward(T* output, T* totalWeight, T* lse, T* logits, long* target, T* weight, long rows, long classes, long ignoreIndex, double smoothing, LossReduction reduction)
    {
        SoftmaxKernel<T>.LogSumExp(logits, lse, rows, classes);
        NllLossKernels<T>.Reduce(output, totalWeight, target, weight, rows, classes, ignoreIndex, reduction,
            new SmoothedRowLoss { Logits = logits, Lse = lse, Weight = weight, Classes = classes, Smoothing = smoothing });
    }

    public static void Backward(T* gradLogits, T* gradOutput, T* logits, T* lse, long* target, T* weight, T* totalWeight, long rows, long classes,
        long ignoreIndex, double smoothing, LossReduction reduction)
    {
        var rule = new GradientRule
        {
            Scale = NllLossKernels<T>.ReducedScale(gradOutput, totalWeight, reduction),
            Keep = T.CreateTruncating(1 - smoothing),
            Spread = T.CreateTruncating(smoothing / classes),
            WeightSum = weight == null ? T.CreateTruncating(classes) : TensorPrimitives.Sum(new ReadOnlySpan<T>(weight, checked((int)classes))),
        };
        int workers = rows * classes >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, rows) : 1;
        if (workers <= 1)
        {
            Rows(gradLogits, gradOutput, logits, lse, target, weight, 0, rows, classes, ignoreIndex, reduction, rule);
            return;
        }
        CpuThreads.For(workers, w => Rows(gradLogits, gradOutput, logits, lse, target, weight, rows * w / workers, rows * (w + 1) / workers,
            classes, ignoreIndex, reduction, rule));
    }

    /// <summary>The row-independent factors of the gradient.</summary>
    readonly struct GradientRule
    {
        public T Scale { get; init; }
        public T Keep { get; init; }
        public T Spread { get; init; }
        public T WeightSum { get; init; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows(T* gx, T* gy, T* x, T* lse, long* target, T* weight, long r0, long r1, long classes, long ignoreIndex, LossReduction reduction, GradientRule rule)
    {
        int n = checked((int)classes);
        // p = exp(x - lse): the shifts row by row, then one vectorised exp over many rows
        long rowsPerCall = Math.Max(1, int.MaxValue / Math.Max(classes, 1));
        for (long c0 = r0; c0 < r1; c0 += rowsPerCall)
        {
            long c1 = Math.Min(r1, c0 + rowsPerCall);
            for (long r = c0; r < c1; r++)
            {
                T l = lse[r];
                T* xr = x + r * classes, pr = gx + r * classes;
                if (n < ShortRow) for (int k = 0; k < n; k++) pr[k] = xr[k] - l;
                else TensorPrimitives.Subtract(new ReadOnlySpan<T>(xr, n), l, new Span<T>(pr, n));
            }
            var block = new Span<T>(gx + c0 * classes, (int)((c1 - c0) * classes));
            TensorPrimitives.Exp(block, block);
        }
        for (long r = r0; r < r1; r++)
        {
            T* row = gx + r * classes;
            long t = target[r];
            if (t == ignoreIndex || t < 0 || t >= classes)
            {
                new Span<T>(row, n).Clear();
                continue;
            }
            T g = reduction == LossReduction.None ? gy[r] : rule.Scale;
            T wt = weight == null ? T.One : weight[t];
            // g ((1 - s) w_t (p_k - [k == t]) + s/C (W p_k - w_k)) = a p_k - b w_k, then - g (1 - s) w_t at t
            T a = g * (rule.Keep * wt + rule.Spread * rule.WeightSum), b = g * rule.Spread;
            if (n < ShortRow)
            {
                if (weight == null) for (int k = 0; k < n; k++) row[k] = a * row[k] - b;
                else for (int k = 0; k < n; k++) row[k] = a * row[k] - b * weight[k];
            }
            else
            {
                var span = new Span<T>(row, n);
                TensorPrimitives.Multiply(span, a, span);
                if (weight == null) TensorPrimitives.Subtract(span, b, span);
                else TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(weight, n), -b, span, span);
            }
            row[t] -= g * rule.Keep * wt;
        }
    }
}
