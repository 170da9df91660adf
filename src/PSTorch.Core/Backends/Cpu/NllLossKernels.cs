using System.Numerics;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// nll_loss over contiguous [rows, classes] log-probabilities in one pass: the rows are short (one pick each), so a
/// plain loop beats the gather/where/index_select composition it replaces. Sums accumulate in double.
/// </summary>
internal static unsafe class NllLossKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Forward(T* output, T* totalWeight, T* logProbs, long* target, T* weight, long rows, long classes, long ignoreIndex, LossReduction reduction)
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
            double loss = -w * double.CreateTruncating(logProbs[i * classes + t]);
            if (reduction == LossReduction.None) output[i] = T.CreateTruncating(loss);
            sum += loss;
            weights += w;
        }
        *totalWeight = T.CreateTruncating(weights);
        if (reduction == LossReduction.Sum) *output = T.CreateTruncating(sum);
        else if (reduction == LossReduction.Mean) *output = T.CreateTruncating(sum / weights);
    }

    public static void Backward(T* gradInput, T* gradOutput, long* target, T* weight, T* totalWeight, long rows, long classes, long ignoreIndex, LossReduction reduction)
    {
        new Span<T>(gradInput, checked((int)(rows * classes))).Clear();
        T scale = reduction switch
        {
            LossReduction.Mean => *gradOutput / *totalWeight,
            LossReduction.Sum => *gradOutput,
            _ => T.Zero,
        };
        for (long i = 0; i < rows; i++)
        {
            long t = target[i];
            if (t == ignoreIndex) continue;
            T g = reduction == LossReduction.None ? gradOutput[i] : scale;
            gradInput[i * classes + t] = -(weight == null ? g : weight[t] * g);
        }
    }
}
