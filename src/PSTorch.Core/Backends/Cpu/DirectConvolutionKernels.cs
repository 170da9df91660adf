using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Direct 2-d convolution for layers whose patch is a handful of values (a first layer: 1 channel x 3x3 = 9), where
/// im2col + GEMM spends its time unfolding the input and then runs a 9-deep product that fills a fraction of each tile.
/// Each image is copied once into a zero-padded buffer of rows Wp = OutWidth + KernelWidth - 1 wide. With unit stride
/// and dilation, output (oh, ow) reads padded[c, oh + ki, ow + kj], so over the flattened index i = oh * Wp + ow every
/// tap is one shifted run: out[i] = sum over taps of w[tap] * padded[i + offset(tap)]. The kernels work on that
/// flattened form, whole padded rows at a time; the Wp - OutWidth extra columns of each row are computed and dropped
/// (forward) or multiplied by zeros (weight gradient).
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
            layout.Fill(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
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
        });
    }

    /// <summary>gW[oc, tap] = sum over images and outputs of gy * the tap's shifted padded input; per-worker sums in double.</summary>
    public static void BackwardWeight(Tensor gradWeight, Tensor gradOutput, Tensor input, Conv2dGeometry g)
    {
        var layout = new PaddedImageLayout<T>(g, Vector512<T>.Count);
        int[] offsets = layout.TapOffsets();
        int workers = ConvolutionKernels<T>.WorkerCount(g);
        var sums = new double[workers][];
        for (int i = 0; i < workers; i++) sums[i] = new double[g.OutChannels * offsets.Length];
        nint gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>();
        ConvolutionKernels<T>.RunOverImages(g, gradWeight.Device, workers, layout.PaddedSize + 2 * layout.FlatSize, (buffer, n, worker) =>
        {
            T* padded = (T*)buffer, flat = padded + layout.PaddedSize;
            layout.Fill(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            // the output gradient in the flattened layout, zero in the dropped columns and the rounding so they add nothing
            // (but 0 * an infinite input read there is NaN where PyTorch's gradient would be infinite: an accepted edge case)
            new Span<T>(flat, 2 * layout.FlatSize).Clear();
            T* gyn = (T*)gy + (long)n * g.OutChannels * g.OutPlane;
            double[] sum = sums[worker];
            for (int oc = 0; oc < g.OutChannels; oc += 2)
            {
                int second = Math.Min(oc + 1, g.OutChannels - 1);
                layout.CopyIn(gyn + (long)oc * g.OutPlane, flat);
                layout.CopyIn(gyn + (long)second * g.OutPlane, flat + layout.FlatSize);
                WeightGradientChannelPair(sum, oc * offsets.Length, second == oc ? -1 : second * offsets.Length, flat, flat + layout.FlatSize, padded, offsets, layout.FlatSize);
            }
        });
        T* gw = gradWeight.Ptr<T>();
        for (int i = 0; i < sums[0].Length; i++)
        {
            double total = 0;
            foreach (var sum in sums) total += sum[i];
            gw[i] = T.CreateTruncating(total);
        }
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

    /// <summary>
    /// sum[at0 + tap] += dot(gradient0, padded shifted by offsets[tap]) and likewise for gradient1 at at1 (-1: none), three
    /// taps at a time (a 3x3 kernel's row; 9, 27 taps split evenly) so each output-gradient load feeds three products and each input load two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void WeightGradientChannelPair(double[] sum, int at0, int at1, T* gradient0, T* gradient1, T* padded, int[] offsets, int flatSize)
    {
        int lanes = Vector512<T>.Count, taps = offsets.Length;
        for (int tap = 0; tap < taps; tap += 3)
        {
            // a last group of fewer than three repeats the last tap and drops the repeats
            T* q0 = padded + offsets[tap], q1 = padded + offsets[Math.Min(tap + 1, taps - 1)], q2 = padded + offsets[Math.Min(tap + 2, taps - 1)];
            Vector512<T> a0 = default, a1 = default, a2 = default, b0 = default, b1 = default, b2 = default;
            for (int i = 0; i < flatSize; i += lanes)
            {
                Vector512<T> g0 = Vector512.Load(gradient0 + i), g1 = Vector512.Load(gradient1 + i);
                Vector512<T> x0 = Vector512.Load(q0 + i), x1 = Vector512.Load(q1 + i), x2 = Vector512.Load(q2 + i);
                a0 = GemmKernels.MultiplyAdd(g0, x0, a0); b0 = GemmKernels.MultiplyAdd(g1, x0, b0);
                a1 = GemmKernels.MultiplyAdd(g0, x1, a1); b1 = GemmKernels.MultiplyAdd(g1, x1, b1);
                a2 = GemmKernels.MultiplyAdd(g0, x2, a2); b2 = GemmKernels.MultiplyAdd(g1, x2, b2);
            }
            int count = Math.Min(3, taps - tap);
            Span<double> first = [Sum(a0), Sum(a1), Sum(a2)], second = [Sum(b0), Sum(b1), Sum(b2)];
            for (int j = 0; j < count; j++)
            {
                sum[at0 + tap + j] += first[j];
                if (at1 >= 0) sum[at1 + tap + j] += second[j];
            }
        }
    }

    static double Sum(Vector512<T> v) => double.CreateTruncating(Vector512.Sum(v));
}
