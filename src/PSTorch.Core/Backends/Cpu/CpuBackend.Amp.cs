using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void NonFiniteCheckAndUnscale(IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale)
    {
        float inv = *invScale.Ptr<float>();
        bool found = false;
        foreach (var grad in grads)
        {
            if (grad.Numel() == 0) continue;
            if (grad.IsContiguous() && grad.DType == DType.Float32) found |= CheckAndScale(new Span<float>(grad.Ptr<float>(), checked((int)grad.Numel())), inv);
            else if (grad.IsContiguous() && grad.DType == DType.Float64) found |= CheckAndScale(new Span<double>(grad.Ptr<double>(), checked((int)grad.Numel())), inv);
            else
            {
                // half precision or strided: scaled in a float32 copy, rounded back once
                using var wide = Tensor.Empty(grad.ShapeRef, DType.Float32, grad.Device);
                Copy(wide, grad);
                found |= CheckAndScale(new Span<float>(wide.Ptr<float>(), checked((int)wide.Numel())), inv);
                Copy(grad, wide);
            }
            grad.BumpVersion();
        }
        if (found) *foundInf.Ptr<float>() = 1;
    }

    /// <summary>values *= scale; whether any value was inf or NaN before scaling (x - x is 0 exactly for finite x).</summary>
    static bool CheckAndScale<T>(Span<T> values, float scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = T.CreateTruncating(scale);
        var scaleVector = new Vector<T>(s);
        var notFinite = Vector<T>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var v = new Vector<T>(values[i..]);
            notFinite |= ~Vector.Equals(v - v, Vector<T>.Zero);
            (v * scaleVector).CopyTo(values[i..]);
        }
        bool found = notFinite != Vector<T>.Zero;
        for (; i < values.Length; i++)
        {
            found |= !T.IsFinite(values[i]);
            values[i] *= s;
        }
        return found;
    }

    public void UpdateScale(Tensor scale, Tensor growthTracker, Tensor foundInf, double growthFactor, double backoffFactor, long growthInterval)
    {
        float* current = scale.Ptr<float>();
        int* tracker = growthTracker.Ptr<int>();
        if (*foundInf.Ptr<float>() != 0)
        {
            *current = (float)(*current * backoffFactor);
            *tracker = 0;
        }
        else if (*tracker + 1 == growthInterval)
        {
            float grown = (float)(*current * growthFactor);
            if (float.IsFinite(grown)) *current = grown;
            *tracker = 0;
        }
        else *tracker += 1;
        scale.BumpVersion();
        growthTracker.BumpVersion();
    }
}
