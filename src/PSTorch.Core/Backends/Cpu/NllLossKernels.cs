using System.Numerics;

namespace PSTorch.Backends.Cpu;

/// <summary>The loss of one counted row of a class-index loss, given its target class and that class's weight.</summary>
internal interface IRowLoss
{
    double Loss(long row, long target, double weight);
}

/// <summary>
/// nll_loss over contiguous [rows, classes] log-probabilities in one pass: the rows are short (one pick each), so a
/// plain loop beats the gather/where/index_select composition it replaces. Sums accumulate in double.
/// <see cref="Reduce"/> and <see cref="ReducedScale"/> are shared with the fused cross-entropy.
/// </summary>
internal static unsafe class NllLossKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    unsafe readonly struct PickedLogProb : IRowLoss
    {
        public T* LogProbs { get; init; }
        public long Classes { get; init; }
        public double Loss(long row, long target, double weight) => -weight * double.CreateTruncating(LogProbs[row * Classes + target]);
    }

    public static void Forward(T* output, T* totalWeight, T* logProbs, long* target, T* weight, long rows, long classes, long ignoreIndex, LossReduction reduction) =>
        Reduce(output, totalWeight, target, weight, rows, classes, ignoreIndex, reduction, new PickedLogProb { LogProbs = logProbs, Classes = classes });

    /// <summary>
    /// Skips ignored rows, rejects targets outside [0, classes) with PyTorch's message, writes each row's loss (none) or
    /// their sum (sum) or sum / total weight (mean), and the total weight of the counted rows.
    /// </summary>
    public static void Reduce<TLoss>(T* output, T* totalWeight, long* target, T* weight, long rows, long classes, long ignoreIndex, LossReduction reduction, TLoss rowLoss)
        where TLoss : struct, IRowLoss
    {
        double sum = 0, weights = 0;
        for (long i = 0; i < rows; i++)
        {
            long t = target[i];
            if (t == ignoreIndex)
            {
                if (reduction == LossReduction.None) output[i] = T.Zero;
                continue;
            }
            if (t < 0 || t >= classes) throw new IndexOutOfRangeException($"Target {t} is out of bounds.");
            double w = weight == null ? 1 : double.CreateTruncating(weight[t]);
            double loss = rowLoss.Loss(i, t, w);
            if (reduction == LossReduction.None) output[i] = T.CreateTruncating(loss);
            sum += loss;
            weights += w;
        }
        *totalWeight = T.CreateTruncating(weights);
        if (reduction == LossReduction.Sum) *output = T.CreateTruncating(sum);
        else if (reduction == LossReduction.Mean) *output = T.CreateTruncating(sum / weights);
    }

    /// <summary>The gradient every row shares under a reduction (grad / total weight for mean); 0 for none, whose rows each have their own.</summary>
    public static T ReducedScale(T* gradOutput, T* totalWeight, LossReduction reduction) => reduction switch
    {
        LossReduction.Mean => *gradOutput / *totalWeight,
        LossReduction.Sum => *gradOutput,
        _ => T.Zero,
    };

    public static void Backward(T* gradInput, T* gradOutput, long* target, T* weight, T* totalWeight, long rows, long classes, long ignoreIndex, LossReduction reduction)
    {
        new Span<T>(gradInput, checked((int)(rows * classes))).Clear();
        T scale = ReducedScale(gradOutput, totalWeight, reduction);
        for (long i = 0; i < rows; i++)
        {
            long t = target[i];
            if (t == ignoreIndex) continue;
            T g = reduction == LossReduction.None ? gradOutput[i] : scale;
            gradInput[i * classes + t] = -(weight == null ? g : weight[t] * g);
        }
    }
}
