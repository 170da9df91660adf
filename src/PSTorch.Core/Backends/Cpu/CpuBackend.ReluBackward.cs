using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    // Below this many elements one thread is faster than waking the other.
    const long ReluBackwardParallelElements = 256 * 1024;

    public void ReluBackward(Tensor gradInput, Tensor gradOutput, Tensor output)
    {
        switch (gradInput.DType)
        {
            case DType.Float32: ReluBackward(gradInput.Ptr<float>(), gradOutput.Ptr<float>(), output.Ptr<float>(), gradInput.Numel()); break;
            case DType.Float64: ReluBackward(gradInput.Ptr<double>(), gradOutput.Ptr<double>(), output.Ptr<double>(), gradInput.Numel()); break;
            default: throw new NotSupportedException($"relu backward is not implemented for dtype {gradInput.DType.Name()}");
        }
    }

    /// <summary>
    /// One pass of PyTorch's threshold_backward(grad, output, 0): zero where the output is &lt;= 0, whatever the
    /// gradient, and the gradient elsewhere, including where the output is NaN (NaN &lt;= 0 is false).
    /// </summary>
    static void ReluBackward<T>(T* gx, T* gy, T* y, long n) where T : unmanaged, INumber<T>
    {
        nint gxp = (nint)gx, gyp = (nint)gy, yp = (nint)y;
        int workers = n >= ReluBackwardParallelElements ? CpuThreads.Count : 1;
        // pieces of whole vectors so every worker but the last runs without a tail
        long piece = (n / workers + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;
        CpuThreads.For(workers, worker =>
        {
            long start = Math.Min(n, worker * piece), end = worker == workers - 1 ? n : Math.Min(n, start + piece);
            T* g = (T*)gxp, go = (T*)gyp, o = (T*)yp;
            long i = start;
            for (; i + Vector<T>.Count <= end; i += Vector<T>.Count)
            {
                var clipped = Vector.LessThanOrEqual(*(Vector<T>*)(o + i), Vector<T>.Zero);
                *(Vector<T>*)(g + i) = Vector.ConditionalSelect(clipped, Vector<T>.Zero, *(Vector<T>*)(go + i));
            }
            for (; i < end; i++) g[i] = o[i] <= T.Zero ? T.Zero : go[i];
        });
    }
}
