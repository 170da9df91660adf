using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Fused dropout (IBackend.Dropout): one pass drawing, masking and scaling, split into chunks of whole Philox blocks.
/// </summary>
internal sealed unsafe partial class CpuBackend
{
    public void Dropout(Tensor output, Tensor mask, Tensor input, double p, PhiloxState state)
    {
        nint y = (nint)output.DataPointer, x = (nint)input.DataPointer, m = (nint)mask.DataPointer;
        long n = input.Numel();
        Action<long, long> range = input.DType switch
        {
            DType.Float32 => (i0, i1) => DropoutFloat((float*)y, (bool*)m, (float*)x, i0, i1, (float)p, 1f / (float)(1 - p), state),
            DType.Float64 => (i0, i1) => DropoutDouble((double*)y, (bool*)m, (double*)x, i0, i1, p, 1 / (1 - p), state),
            _ => throw NotImplemented("native_dropout", input.DType),
        };
        InChunks(n, range);
    }

    public void DropoutBackward(Tensor gradInput, Tensor gradOutput, Tensor mask, double p)
    {
        nint gx = (nint)gradInput.DataPointer, gy = (nint)gradOutput.DataPointer, m = (nint)mask.DataPointer;
        Action<long, long> range = gradOutput.DType switch
        {
            DType.Float32 => (i0, i1) => MaskedScale((float*)gx, (float*)gy, (bool*)m, i0, i1, 1f / (float)(1 - p)),
            DType.Float64 => (i0, i1) => MaskedScale((double*)gx, (double*)gy, (bool*)m, i0, i1, 1 / (1 - p)),
            _ => throw NotImplemented("native_dropout_backward", gradOutput.DType),
        };
        InChunks(gradOutput.Numel(), range);
    }

    static void DropoutFloat(float* y, bool* mask, float* x, long i0, long i1, float p, float scale, PhiloxState state)
    {
        var sink = new DropoutFloatSink(y, mask, x, p, scale);
        PhiloxDraws.ForEach(state, i0, i1, 1, ref sink);
    }

    static void DropoutDouble(double* y, bool* mask, double* x, long i0, long i1, double p, double scale, PhiloxState state)
    {
        var sink = new DropoutDoubleSink(y, mask, x, p, scale);
        PhiloxDraws.ForEach(state, i0, i1, 2, ref sink);
    }

    readonly struct DropoutFloatSink(float* y, bool* mask, float* x, float p, float scale) : IDrawSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(long i, uint* words) => KeepOrDrop(y, mask, x, i, Philox.ToUnitFloat(words[0]) >= p, scale);
    }

    readonly struct DropoutDoubleSink(double* y, bool* mask, double* x, double p, double scale) : IDrawSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(long i, uint* words) => KeepOrDrop(y, mask, x, i, Philox.ToUnitDouble(words[0], words[1]) >= p, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void KeepOrDrop<T>(T* y, bool* mask, T* x, long i, bool kept, T scale) where T : unmanaged, System.Numerics.INumber<T>
    {
        mask[i] = kept;
        // x * (0 or scale) without a branch: half the draws go each way, so a branch mispredicts every other element
        y[i] = x[i] * (T.CreateTruncating(*(byte*)&kept) * scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void MaskedScale<T>(T* gx, T* gy, bool* mask, long i0, long i1, T scale) where T : unmanaged, System.Numerics.INumber<T>
    {
        byte* kept = (byte*)mask;
        for (long i = i0; i < i1; i++) gx[i] = gy[i] * (T.CreateTruncating(kept[i]) * scale);
    }
}
