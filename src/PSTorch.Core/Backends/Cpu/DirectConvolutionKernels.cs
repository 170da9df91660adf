using System.Numerics;
using System.Numerics.Tensors;
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
    /// <summary>Above this many taps per output the GEMM's register blocking wins over one product per tap.</summary>
    const int MaxPatch = 32;
    /// <summary>Vectors of outputs kept in registers per output channel while the taps are added in.</summary>
    const int Unroll = 4;

    /// <summary>Whether the direct kernels handle this convolution (else im2col + GEMM does).</summary>
    public static bool Supports(in Conv2dGeometry g) =>
        Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
        g.Groups == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1 &&
        g.PatchSize <= MaxPatch;

    public static void Forward(Tensor output, Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g)
    {
        var layout = new PaddedLayout(g);
        nint x = (nint)input.Ptr<T>(), w = (nint)weight.Ptr<T>(), y = (nint)output.Ptr<T>();
        nint b = bias == null ? 0 : (nint)bias.Ptr<T>();
        int[] offsets = layout.TapOffsets();
        ConvolutionKernels<T>.RunOverImages(g, output.Device, ConvolutionKernels<T>.WorkerCount(g), layout.PaddedSize + layout.FlatSize, (buffer, n, _) =>
        {
            T* padded = (T*)buffer, flat = padded + layout.PaddedSize;
            layout.Fill(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            T* yn = (T*)y + (long)n * g.OutChannels * g.OutPlane;
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                T initial = b == 0 ? T.Zero : ((T*)b)[oc];
                ForwardChannel(flat, padded, (T*)w + (long)oc * offsets.Length, offsets, initial, layout.FlatSize);
                T* plane = yn + (long)oc * g.OutPlane;
                for (int oh = 0; oh < g.OutHeight; oh++)
                    new ReadOnlySpan<T>(flat + (long)oh * layout.Width, g.OutWidth).CopyTo(new Span<T>(plane + (long)oh * g.OutWidth, g.OutWidth));
            }
        });
    }

    /// <summary>gW[oc, tap] = sum over images and outputs of gy * the tap's shifted padded input; per-worker sums in double.</summary>
    public static void BackwardWeight(Tensor gradWeight, Tensor gradOutput, Tensor input, Conv2dGeometry g)
    {
        var layout = new PaddedLayout(g);
        int[] offsets = layout.TapOffsets();
        int workers = ConvolutionKernels<T>.WorkerCount(g);
        var sums = new double[workers][];
        for (int i = 0; i < workers; i++) sums[i] = new double[g.OutChannels * offsets.Length];
        nint gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>();
        int length = g.OutHeight * layout.Width;
        ConvolutionKernels<T>.RunOverImages(g, gradWeight.Device, workers, layout.PaddedSize + layout.FlatSize, (buffer, n, worker) =>
        {
            T* padded = (T*)buffer, flat = padded + layout.PaddedSize;
            layout.Fill(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            // the output gradient in the flattened layout, zero in the dropped columns so they add nothing
            new Span<T>(flat, length).Clear();
            T* gyn = (T*)gy + (long)n * g.OutChannels * g.OutPlane;
            double[] sum = sums[worker];
            for (int oc = 0; oc < g.OutChannels; oc++)
            {
                T* plane = gyn + (long)oc * g.OutPlane;
                for (int oh = 0; oh < g.OutHeight; oh++)
                    new ReadOnlySpan<T>(plane + (long)oh * g.OutWidth, g.OutWidth).CopyTo(new Span<T>(flat + (long)oh * layout.Width, g.OutWidth));
                var gradient = new ReadOnlySpan<T>(flat, length);
                for (int tap = 0; tap < offsets.Length; tap++)
                    sum[oc * offsets.Length + tap] += double.CreateTruncating(TensorPrimitives.Dot(gradient, new ReadOnlySpan<T>(padded + offsets[tap], length)));
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

    /// <summary>flat[i] = initial + sum over taps of w[tap] * padded[i + offsets[tap]] for i in [0, flatSize), Unroll vectors at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForwardChannel(T* flat, T* padded, T* w, int[] offsets, T initial, int flatSize)
    {
        int lanes = Vector512<T>.Count;
        var start = Vector512.Create(initial);
        for (int i = 0; i < flatSize; i += Unroll * lanes)
        {
            Vector512<T> a0 = start, a1 = start, a2 = start, a3 = start;
            T* p = padded + i;
            for (int tap = 0; tap < offsets.Length; tap++)
            {
                var wv = Vector512.Create(w[tap]);
                T* q = p + offsets[tap];
                a0 = MultiplyAdd(wv, Vector512.Load(q), a0);
                a1 = MultiplyAdd(wv, Vector512.Load(q + lanes), a1);
                a2 = MultiplyAdd(wv, Vector512.Load(q + 2 * lanes), a2);
                a3 = MultiplyAdd(wv, Vector512.Load(q + 3 * lanes), a3);
            }
            T* o = flat + i;
            a0.Store(o);
            a1.Store(o + lanes);
            a2.Store(o + 2 * lanes);
            a3.Store(o + 3 * lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float)
            ? Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <summary>
    /// Sizes of one image's zero-padded copy: channels of Height x Width, Width = OutWidth + KernelWidth - 1, then
    /// slack so that the last block of outputs (FlatSize, a whole number of unrolled vectors) reads inside the buffer.
    /// </summary>
    readonly struct PaddedLayout(Conv2dGeometry g)
    {
        public readonly int Width = g.OutWidth + g.KernelWidth - 1;
        public readonly int Height = g.OutHeight + g.KernelHeight - 1;
        /// <summary>Outputs per channel in the flattened layout, rounded up to whole blocks of Unroll vectors.</summary>
        public readonly int FlatSize = RoundUp(checked(g.OutHeight * (g.OutWidth + g.KernelWidth - 1)), Unroll * Vector512<T>.Count);
        int Plane => Width * Height;
        // a tap offset is below one channel plane, so the last channel's reads end before Plane * channels + FlatSize
        public int PaddedSize => checked(Plane * g.InChannels + FlatSize);

        public int[] TapOffsets()
        {
            var offsets = new int[g.PatchSize];
            int tap = 0;
            for (int c = 0; c < g.InChannels; c++)
                for (int ki = 0; ki < g.KernelHeight; ki++)
                    for (int kj = 0; kj < g.KernelWidth; kj++)
                        offsets[tap++] = c * Plane + ki * Width + kj;
            return offsets;
        }

        /// <summary>Zeroes the buffer and copies one contiguous image [C, H, W] inside its padding.</summary>
        public void Fill(T* padded, T* image)
        {
            new Span<T>(padded, PaddedSize).Clear();
            // the padding after the last row/column may be smaller than before it (or the input longer than the output needs)
            int rows = Math.Min(g.InHeight, Height - g.PaddingHeight);
            int columns = Math.Min(g.InWidth, Width - g.PaddingWidth);
            for (int c = 0; c < g.InChannels; c++)
                for (int ih = 0; ih < rows; ih++)
                    new ReadOnlySpan<T>(image + ((long)c * g.InHeight + ih) * g.InWidth, columns)
                        .CopyTo(new Span<T>(padded + (long)c * Plane + (long)(ih + g.PaddingHeight) * Width + g.PaddingWidth, columns));
        }

        static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
    }
}
