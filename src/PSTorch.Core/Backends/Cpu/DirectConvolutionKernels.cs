using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Direct 2-d convolution forward for layers whose patch is a handful of values (a first layer: 1 channel x 3x3 = 9), where
/// im2col + GEMM spends its time unfolding the input and then runs a 9-deep product that fills a fraction of each tile.
/// Each image is copied once into a zero-padded buffer of rows Wp = OutWidth + KernelWidth - 1 wide. With unit stride
/// and dilation, output (oh, ow) reads padded[c, oh + ki, ow + kj], so over the flattened index i = oh * Wp + ow every
/// tap is one shifted run: out[i] = sum over taps of w[tap] * padded[i + offset(tap)]. The kernels work on that
/// flattened form, whole padded rows at a time; the Wp - OutWidth extra columns of each row are computed and dropped.
/// (Such layers' weight gradient is <see cref="ImplicitGemmConvolutionKernels{T}.BackwardWeight"/>'s.)
/// </summary>
internal static unsafe class DirectConvolutionKernels<T> where T : unmanaged, INumber<T>
{
    /// <summary>Wider patches stay on im2col + GEMM, whose register blocking suits deep products (a chosen bound, not tuned).</summary>
    public const int MaxPatch = 32;
    /// <summary>Vectors of outputs kept in registers per output channel while the taps are added in.</summary>
    const int Unroll = 4;

    /// <summary>Whether the direct kernels handle this convolution (else im2col + GEMM does).</summary>
    public static bool Supports(in Conv2dGeometry g) =>
        Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
        g.Groups == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1 &&
        g.PatchSize <= MaxPatch;

    public static void Forward(Tensor output, Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g)
    {
        var layout = new PaddedImageLayout<T>(g, Vector512<T>.Count);
        nint x = (nint)input.Ptr<T>(), w = (nint)weight.Ptr<T>(), y = (nint)output.Ptr<T>();
        nint b = bias == null ? 0 : (nint)bias.Ptr<T>();
        int[] offsets = layout.TapOffsets();
        ConvolutionKernels<T>.RunOverImages(g, output.Device, ConvolutionKernels<T>.WorkerCount(g), layout.PaddedSize + 2 * layout.FlatSize, (buffer, n, _) =>
        {
            T* padded = (T*)buffer, flat = padded + layout.PaddedSize;
            layout.Place(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            T* yn = (T*)y + (long)n * g.OutChannels * g.OutPlane;
            for (int oc = 0; oc < g.OutChannels; oc += 2)
            {
                // channels in pairs share each input load; an odd last channel is computed twice into the same rows
                int second = Math.Min(oc + 1, g.OutChannels - 1);
                T* secondFlat = second == oc ? flat : flat + layout.FlatSize;
                ForwardChannelPair(flat, secondFlat, padded, (T*)w + (long)oc * offsets.Length, (T*)w + (long)second * offsets.Length, offsets,
                    b == 0 ? T.Zero : ((T*)b)[oc], b == 0 ? T.Zero : ((T*)b)[second], layout.FlatSize);
                layout.CopyOut(flat, yn + (long)oc * g.OutPlane);
                if (second != oc) layout.CopyOut(secondFlat, yn + (long)second * g.OutPlane);
            }
        }, zeroed: true);
    }

    /// <summary>
    /// first[i] / second[i] = initial + sum over taps of w[tap] * padded[i + offsets[tap]] for i in [0, flatSize), for two
    /// output channels at once: 2 x 4 vectors of accumulators hide the FMA latency and share each input load. flatSize
    /// is a whole number of vectors; the last few that do not fill a block go one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForwardChannelPair(T* first, T* second, T* padded, T* w0, T* w1, int[] offsets, T initial0, T initial1, int flatSize)
    {
        int lanes = Vector512<T>.Count;
        Vector512<T> start0 = Vector512.Create(initial0), start1 = Vector512.Create(initial1);
        int i = 0;
        for (; i + Unroll * lanes <= flatSize; i += Unroll * lanes)
        {
            Vector512<T> a0 = start0, a1 = start0, a2 = start0, a3 = start0, b0 = start1, b1 = start1, b2 = start1, b3 = start1;
            T* p = padded + i;
            for (int tap = 0; tap < offsets.Length; tap++)
            {
                Vector512<T> u = Vector512.Create(w0[tap]), v = Vector512.Create(w1[tap]);
                T* q = p + offsets[tap];
                Vector512<T> x0 = Vector512.Load(q), x1 = Vector512.Load(q + lanes), x2 = Vector512.Load(q + 2 * lanes), x3 = Vector512.Load(q + 3 * lanes);
                a0 = GemmKernels.MultiplyAdd(u, x0, a0); b0 = GemmKernels.MultiplyAdd(v, x0, b0);
                a1 = GemmKernels.MultiplyAdd(u, x1, a1); b1 = GemmKernels.MultiplyAdd(v, x1, b1);
                a2 = GemmKernels.MultiplyAdd(u, x2, a2); b2 = GemmKernels.MultiplyAdd(v, x2, b2);
                a3 = GemmKernels.MultiplyAdd(u, x3, a3); b3 = GemmKernels.MultiplyAdd(v, x3, b3);
            }
            a0.Store(first + i); a1.Store(first + i + lanes); a2.Store(first + i + 2 * lanes); a3.Store(first + i + 3 * lanes);
            b0.Store(second + i); b1.Store(second + i + lanes); b2.Store(second + i + 2 * lanes); b3.Store(second + i + 3 * lanes);
        }
        for (; i < flatSize; i += lanes)
        {
            Vector512<T> a = start0, b = start1;
            for (int tap = 0; tap < offsets.Length; tap++)
            {
                var x = Vector512.Load(padded + i + offsets[tap]);
                a = GemmKernels.MultiplyAdd(Vector512.Create(w0[tap]), x, a);
                b = GemmKernels.MultiplyAdd(Vector512.Create(w1[tap]), x, b);
            }
            a.Store(first + i);
            b.Store(second + i);
        }
    }
}
