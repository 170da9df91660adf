using System.Numerics;
using System.Numerics.Tensors;
using PSTorch.Ops;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Bias add + relu/gelu in one pass over float32/float64 tensors. The sum is rounded to the dtype before the activation
/// and the activations are those of the unfused ops (<see cref="ReluFunction{T}"/>, <see cref="GeluKernels"/>), so the
/// results equal act(pre + bias) computed in two passes bit for bit.
/// </summary>
internal sealed unsafe partial class CpuBackend
{
    // Below this many elements one thread is faster than waking the other; gelu's erf costs far more per element than relu.
    const long BiasReluParallelElements = 256 * 1024;
    const long BiasGeluParallelElements = 16 * 1024;
    // Longest chunk handed to the span kernels at once (span lengths are ints).
    const int BiasChunkElements = 1 << 20;

    public void BiasActivation(Tensor output, Tensor pre, Tensor? bias, long channels, long inner, BiasActivationKind kind)
    {
        switch (output.DType)
        {
            case DType.Float32: BiasActivation(output.Ptr<float>(), pre.Ptr<float>(), bias == null ? null : bias.Ptr<float>(), output.Numel(), channels, inner, kind); break;
            case DType.Float64: BiasActivation(output.Ptr<double>(), pre.Ptr<double>(), bias == null ? null : bias.Ptr<double>(), output.Numel(), channels, inner, kind); break;
            default: throw NotImplemented("bias_activation", output.DType);
        }
    }

    public void BiasActivationBackward(Tensor gradPre, Tensor? gradBias, Tensor gradOutput, Tensor saved, Tensor? bias, long channels, long inner, BiasActivationKind kind)
    {
        if (kind == BiasActivationKind.Relu) ReluBackward(gradPre, gradOutput, saved);
        else
        {
            bool tanh = kind == BiasActivationKind.GeluTanh;
            switch (gradPre.DType)
            {
                case DType.Float32: BiasGeluBackward(gradPre.Ptr<float>(), gradOutput.Ptr<float>(), saved.Ptr<float>(), bias == null ? null : bias.Ptr<float>(), gradPre.Numel(), channels, inner, tanh); break;
                case DType.Float64: BiasGeluBackward(gradPre.Ptr<double>(), gradOutput.Ptr<double>(), saved.Ptr<double>(), bias == null ? null : bias.Ptr<double>(), gradPre.Numel(), channels, inner, tanh); break;
                default: throw NotImplemented("bias_activation_backward", gradPre.DType);
            }
        }
        if (gradBias == null) return;
        long outer = gradPre.Numel() / (channels * inner);
        // [outer, channels]: column sums; [outer, channels, inner]: the convolution's per-channel sums
        if (inner == 1) Reduce(ReduceOp.Sum, gradBias, gradPre, 1, outer, channels);
        else
        {
            using var blocks = gradPre.AsStridedView([outer, channels, inner], [channels * inner, inner, 1], gradPre.StorageOffset);
            Conv2dBackwardBias(gradBias, blocks);
        }
    }

    static void BiasActivation<T>(T* y, T* x, T* bias, long n, long channels, long inner, BiasActivationKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint yp = (nint)y, xp = (nint)x, bp = (nint)bias;
        long parallelElements = kind == BiasActivationKind.Relu ? BiasReluParallelElements : BiasGeluParallelElements;
        ForEachBiasChunk(n, channels, inner, parallelElements, (start, length, biasIndex) =>
        {
            T* src = (T*)xp + start, dst = (T*)yp + start, b = (T*)bp;
            var sum = new Span<T>(dst, length);
            if (b == null) new ReadOnlySpan<T>(src, length).CopyTo(sum);
            else if (inner == 1) TensorPrimitives.Add(new ReadOnlySpan<T>(src, length), new ReadOnlySpan<T>(b + biasIndex, length), sum);
            else TensorPrimitives.Add(new ReadOnlySpan<T>(src, length), b[biasIndex], sum);
            if (kind == BiasActivationKind.Relu) ReluFunction<T>.Apply(sum, sum);
            else GeluKernels.Forward(dst, dst, length, kind == BiasActivationKind.GeluTanh);
        });
    }

    /// <summary>gx = gy * gelu'(x + bias), the sum formed in gx and rounded to T as the forward rounds it.</summary>
    static void BiasGeluBackward<T>(T* gx, T* gy, T* x, T* bias, long n, long channels, long inner, bool tanh) where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint gxp = (nint)gx, gyp = (nint)gy, xp = (nint)x, bp = (nint)bias;
        ForEachBiasChunk(n, channels, inner, BiasGeluParallelElements, (start, length, biasIndex) =>
        {
            T* src = (T*)xp + start, g = (T*)gxp + start, b = (T*)bp;
            var sum = new Span<T>(g, length);
            if (b == null) new ReadOnlySpan<T>(src, length).CopyTo(sum);
            else if (inner == 1) TensorPrimitives.Add(new ReadOnlySpan<T>(src, length), new ReadOnlySpan<T>(b + biasIndex, length), sum);
            else TensorPrimitives.Add(new ReadOnlySpan<T>(src, length), b[biasIndex], sum);
            GeluKernels.Backward((T*)gyp + start, g, g, length, tanh);
        });
    }

    /// <summary>
    /// Calls body(start, length, biasIndex) over the elements [0, n) of [outer, channels, inner] in chunks that share
    /// one bias layout, split over the cores from <paramref name="parallelElements"/> elements on. With inner == 1 a
    /// chunk's bias runs along it from bias[biasIndex]; otherwise it is the one value bias[biasIndex].
    /// </summary>
    static void ForEachBiasChunk(long n, long channels, long inner, long parallelElements, Action<long, int, long> body)
    {
        long rowLength = inner == 1 ? channels : inner;
        int workers = n >= parallelElements ? CpuThreads.Count : 1;
        long piece = (n + workers - 1) / workers;
        CpuThreads.For(workers, worker =>
        {
            long i = Math.Min(n, worker * piece), end = Math.Min(n, i + piece);
            while (i < end)
            {
                long row = i / rowLength, within = i - row * rowLength;
                int length = (int)Math.Min(Math.Min(rowLength - within, end - i), BiasChunkElements);
                body(i, length, inner == 1 ? within : row % channels);
                i += length;
            }
        });
    }
}
