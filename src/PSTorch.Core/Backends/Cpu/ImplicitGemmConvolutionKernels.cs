using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Unit-stride convolutions with deep patches (a hidden layer: 32 channels x 3x3 = 288 taps) as GEMMs whose operands
/// are read where they lie instead of unfolded first. Each image is copied into the zero-padded flattened layout of
/// <see cref="PaddedImageLayout{T}"/>, where every tap of the patch is one shifted run of a channel plane:
/// <list type="bullet">
/// <item>forward: out[oc, i] = sum over taps of w[oc, tap] * padded[i + offset(tap)], register tiles of
/// <see cref="Rows"/> output channels x 2 vectors of outputs, the weights packed once per call;</item>
/// <item>input gradient: the same kernel, since it is the convolution of the padded output gradient with the
/// flipped, transposed weights (which needs padding below the kernel size);</item>
/// <item>weight gradient: gW[tap, oc] = sum over outputs of padded[i + offset(tap)] * gy[oc, i], register tiles of a
/// few taps x vectors of output channels, from the output gradient transposed to [output, channel] per image.</item>
/// </list>
/// The padded image (32 KiB for 32 planes of 16 x 16 floats) stays in L1 while the tiles sweep it. A batch is spread
/// over the threads image by image, so the kernels are used only when there are images for every thread.
/// </summary>
internal static unsafe class ImplicitGemmConvolutionKernels<T> where T : unmanaged, INumber<T>
{
    /// <summary>Output channels per forward tile: 8 x 2 accumulators + 2 input vectors + a broadcast use 19 zmm registers.</summary>
    const int Rows = 8;
    /// <summary>Vectors of flattened outputs per forward tile.</summary>
    const int Columns = 2;

    static int Lanes => Vector512<T>.Count;

    public static bool Supports(in Conv2dGeometry g) =>
        Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
        g.Groups == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1 &&
        g.PatchSize > DirectConvolutionKernels<T>.MaxPatch && g.Batch >= CpuThreads.Count &&
        // the input gradient as a convolution pads the output gradient by kernel - 1 - padding
        g.PaddingHeight < g.KernelHeight && g.PaddingWidth < g.KernelWidth;

    /// <summary>
    /// Whether <see cref="BackwardWeight"/> handles this convolution: any unit-stride one, shallow patches too (for a
    /// first layer it reads the output gradient, too large for the cache, once for the weight and bias gradients together).
    /// </summary>
    public static bool SupportsWeightGradient(in Conv2dGeometry g) =>
        Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) &&
        g.Groups == 1 && g.StrideHeight == 1 && g.StrideWidth == 1 && g.DilationHeight == 1 && g.DilationWidth == 1;

    public static void Forward(Tensor output, Tensor input, Tensor weight, Tensor? bias, Conv2dGeometry g) =>
        Convolve(output, input, weight.Ptr<T>(), bias == null ? null : bias.Ptr<T>(), g);

    /// <summary>Whether <see cref="BackwardInput"/> gives PyTorch's result: an infinite weight times the padding's zeros is NaN where PyTorch adds nothing.</summary>
    public static bool BackwardInputMatches(Tensor weight)
    {
        T* w = weight.Ptr<T>();
        for (long i = 0, count = weight.Numel(); i < count; i++)
            if (!T.IsFinite(w[i])) return false;
        return true;
    }

    /// <summary>gx = conv2d(gy padded by kernel - 1 - padding, w flipped in both spatial dims with in/out channels swapped).</summary>
    public static void BackwardInput(Tensor gradInput, Tensor gradOutput, Tensor weight, Conv2dGeometry g)
    {
        var transposed = new Conv2dGeometry(g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.InHeight, g.InWidth,
            g.KernelHeight, g.KernelWidth, 1, 1, g.KernelHeight - 1 - g.PaddingHeight, g.KernelWidth - 1 - g.PaddingWidth, 1, 1, 1);
        int kh = g.KernelHeight, kw = g.KernelWidth;
        using var flipped = Tensor.Empty([g.InChannels, g.OutChannels, kh, kw], gradInput.DType, gradInput.Device);
        T* w = weight.Ptr<T>(), f = flipped.Ptr<T>();
        for (int ic = 0; ic < g.InChannels; ic++)
            for (int oc = 0; oc < g.OutChannels; oc++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        f[(((long)ic * g.OutChannels + oc) * kh + i) * kw + j] = w[(((long)oc * g.InChannels + ic) * kh + kh - 1 - i) * kw + kw - 1 - j];
        Convolve(gradInput, gradOutput, f, null, transposed);
    }

    /// <summary>Taps per weight-gradient tile with 4 vectors of output channels (6 x 4 accumulators), or with 2 vectors (12 x 2).</summary>
    const int WideTaps = 6, NarrowTaps = 12;

    /// <summary>
    /// gW[oc, tap] = sum over images and outputs of gy[n, oc, o] * padded[n, o + offset(tap)] (o over the kept columns
    /// only), and gb[oc] = the sum of gy[n, oc] while each image's gradient is in the cache (images added in double).
    /// </summary>
    public static void BackwardWeight(Tensor gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Conv2dGeometry g)
    {
        var layout = new PaddedImageLayout<T>(g, Lanes);
        int[] offsets = layout.TapOffsets();
        int taps = g.PatchSize, channels = g.OutChannels, pitch = (channels + 2 * Lanes - 1) / (2 * Lanes) * (2 * Lanes);
        int workers = ConvolutionKernels<T>.WorkerCount(g);
        // per worker: the sums gW^T [tap, pitch], output channels padded to whole pairs of vectors
        using var sums = Tensor.Empty([(long)workers * taps * pitch], gradWeight.DType, gradWeight.Device);
        new Span<T>(sums.Ptr<T>(), checked(workers * taps * pitch)).Clear();
        var biasSums = gradBias == null ? null : new double[workers, channels];
        nint x = (nint)input.Ptr<T>(), gy = (nint)gradOutput.Ptr<T>(), all = (nint)sums.Ptr<T>();
        ConvolutionKernels<T>.RunOverImages(g, gradWeight.Device, workers, layout.PaddedSize + (long)g.OutPlane * pitch, (buffer, n, worker) =>
        {
            T* padded = (T*)buffer, transposed = padded + layout.PaddedSize, sum = (T*)all + (long)worker * taps * pitch;
            T* gyn = (T*)gy + (long)n * channels * g.OutPlane;
            layout.Place(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            Transpose(gyn, transposed, channels, g.OutPlane, pitch);
            if (biasSums != null)
                for (int c = 0; c < channels; c++)
                    biasSums[worker, c] += double.CreateTruncating(TensorPrimitives.Sum(new ReadOnlySpan<T>(gyn + (long)c * g.OutPlane, g.OutPlane)));
            fixed (int* tapOffsets = offsets)
                for (int oc = 0; oc < channels; )
                {
                    bool wide = channels - oc > 2 * Lanes;
                    int tapsPerTile = wide ? WideTaps : NarrowTaps;
                    for (int tap = 0; tap < taps; tap += tapsPerTile)
                    {
                        var tile = new WeightTile(padded, tapOffsets, tap, Math.Min(tapsPerTile, taps - tap), transposed + oc, pitch, sum + (long)tap * pitch + oc, layout.Width, g.OutHeight, g.OutWidth);
                        if (wide) WideWeightTile(tile); else NarrowWeightTile(tile);
                    }
                    oc += wide ? 4 * Lanes : 2 * Lanes;
                }
        }, zeroed: true);
        T* gw = gradWeight.Ptr<T>(), first = (T*)all;
        for (int tap = 0; tap < taps; tap++)
            for (int oc = 0; oc < channels; oc++)
            {
                T total = first[(long)tap * pitch + oc];
                for (int worker = 1; worker < workers; worker++) total += first[((long)worker * taps + tap) * pitch + oc];
                gw[(long)oc * taps + tap] = total;
            }
        if (gradBias == null) return;
        T* gb = gradBias.Ptr<T>();
        for (int oc = 0; oc < channels; oc++)
        {
            double total = 0;
            for (int worker = 0; worker < workers; worker++) total += biasSums![worker, oc];
            gb[oc] = T.CreateTruncating(total);
        }
    }

    /// <summary>destination[o, c] = source[c, o] for c below <paramref name="channels"/>, zero up to <paramref name="pitch"/>.</summary>
    static void Transpose(T* source, T* destination, int channels, int plane, int pitch)
    {
        const int block = BlockTranspose.Size;
        // whole 16 x 16 float blocks in registers, the rest (and double) one element at a time
        int blockedChannels = typeof(T) == typeof(float) ? channels / block * block : 0, blockedPlane = plane / block * block;
        for (int c = 0; c < blockedChannels; c += block)
            for (int o = 0; o < blockedPlane; o += block)
                BlockTranspose.Float16x16((float*)source + (long)c * plane + o, plane, (float*)destination + (long)o * pitch + c, pitch);
        for (int o = 0; o < plane; o++)
        {
            T* row = destination + (long)o * pitch;
            for (int c = o < blockedPlane ? blockedChannels : 0; c < channels; c++) row[c] = source[(long)c * plane + o];
            for (int c = channels; c < pitch; c++) row[c] = T.Zero;
        }
    }

    /// <summary>
    /// One weight-gradient tile: taps [First, First + Count) x a block of output channels starting at Gradient (the
    /// transposed output gradient, rows Pitch apart), added into Sum (rows Pitch apart). Tiles with fewer taps than the
    /// kernel's repeat the last one and drop the repeats.
    /// </summary>
    readonly struct WeightTile(T* padded, int* offsets, int first, int count, T* gradient, int pitch, T* sum, int width, int outHeight, int outWidth)
    {
        public readonly T* Gradient = gradient, Sum = sum;
        public readonly int Count = count, Pitch = pitch, Width = width, OutHeight = outHeight, OutWidth = outWidth;
        public T* Tap(int j) => padded + offsets[first + Math.Min(j, Count - 1)];

        /// <summary>Adds two vectors of tap j's accumulators into its sums from <paramref name="column"/> on, unless j repeats the last tap.</summary>
        public void Add(int j, int column, Vector512<T> c0, Vector512<T> c1)
        {
            if (j >= Count) return;
            T* row = Sum + (long)j * Pitch + column;
            (Vector512.Load(row) + c0).Store(row);
            (Vector512.Load(row + Lanes) + c1).Store(row + Lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void WideWeightTile(in WeightTile t)
    {
        int lanes = Lanes, pitch = t.Pitch;
        T* r0 = t.Tap(0), r1 = t.Tap(1), r2 = t.Tap(2), r3 = t.Tap(3), r4 = t.Tap(4), r5 = t.Tap(5);
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        T* gradient = t.Gradient;
        for (int oh = 0; oh < t.OutHeight; oh++)
            for (int i = oh * t.Width, end = i + t.OutWidth; i < end; i++, gradient += pitch)
            {
                Vector512<T> g0 = Vector512.Load(gradient), g1 = Vector512.Load(gradient + lanes), g2 = Vector512.Load(gradient + 2 * lanes), g3 = Vector512.Load(gradient + 3 * lanes);
                Vector512<T> a = Vector512.Create(r0[i]);
                c00 = GemmKernels.MultiplyAdd(a, g0, c00); c01 = GemmKernels.MultiplyAdd(a, g1, c01); c02 = GemmKernels.MultiplyAdd(a, g2, c02); c03 = GemmKernels.MultiplyAdd(a, g3, c03);
                a = Vector512.Create(r1[i]);
                c10 = GemmKernels.MultiplyAdd(a, g0, c10); c11 = GemmKernels.MultiplyAdd(a, g1, c11); c12 = GemmKernels.MultiplyAdd(a, g2, c12); c13 = GemmKernels.MultiplyAdd(a, g3, c13);
                a = Vector512.Create(r2[i]);
                c20 = GemmKernels.MultiplyAdd(a, g0, c20); c21 = GemmKernels.MultiplyAdd(a, g1, c21); c22 = GemmKernels.MultiplyAdd(a, g2, c22); c23 = GemmKernels.MultiplyAdd(a, g3, c23);
                a = Vector512.Create(r3[i]);
                c30 = GemmKernels.MultiplyAdd(a, g0, c30); c31 = GemmKernels.MultiplyAdd(a, g1, c31); c32 = GemmKernels.MultiplyAdd(a, g2, c32); c33 = GemmKernels.MultiplyAdd(a, g3, c33);
                a = Vector512.Create(r4[i]);
                c40 = GemmKernels.MultiplyAdd(a, g0, c40); c41 = GemmKernels.MultiplyAdd(a, g1, c41); c42 = GemmKernels.MultiplyAdd(a, g2, c42); c43 = GemmKernels.MultiplyAdd(a, g3, c43);
                a = Vector512.Create(r5[i]);
                c50 = GemmKernels.MultiplyAdd(a, g0, c50); c51 = GemmKernels.MultiplyAdd(a, g1, c51); c52 = GemmKernels.MultiplyAdd(a, g2, c52); c53 = GemmKernels.MultiplyAdd(a, g3, c53);
            }
        int half = 2 * lanes;
        t.Add(0, 0, c00, c01); t.Add(0, half, c02, c03); t.Add(1, 0, c10, c11); t.Add(1, half, c12, c13);
        t.Add(2, 0, c20, c21); t.Add(2, half, c22, c23); t.Add(3, 0, c30, c31); t.Add(3, half, c32, c33);
        t.Add(4, 0, c40, c41); t.Add(4, half, c42, c43); t.Add(5, 0, c50, c51); t.Add(5, half, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void NarrowWeightTile(in WeightTile t)
    {
        int lanes = Lanes, pitch = t.Pitch;
        T* r0 = t.Tap(0), r1 = t.Tap(1), r2 = t.Tap(2), r3 = t.Tap(3), r4 = t.Tap(4), r5 = t.Tap(5);
        T* r6 = t.Tap(6), r7 = t.Tap(7), r8 = t.Tap(8), r9 = t.Tap(9), r10 = t.Tap(10), r11 = t.Tap(11);
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        T* gradient = t.Gradient;
        for (int oh = 0; oh < t.OutHeight; oh++)
            for (int i = oh * t.Width, end = i + t.OutWidth; i < end; i++, gradient += pitch)
            {
                Vector512<T> g0 = Vector512.Load(gradient), g1 = Vector512.Load(gradient + lanes);
                Vector512<T> a = Vector512.Create(r0[i]); c00 = GemmKernels.MultiplyAdd(a, g0, c00); c01 = GemmKernels.MultiplyAdd(a, g1, c01);
                a = Vector512.Create(r1[i]); c10 = GemmKernels.MultiplyAdd(a, g0, c10); c11 = GemmKernels.MultiplyAdd(a, g1, c11);
                a = Vector512.Create(r2[i]); c20 = GemmKernels.MultiplyAdd(a, g0, c20); c21 = GemmKernels.MultiplyAdd(a, g1, c21);
                a = Vector512.Create(r3[i]); c30 = GemmKernels.MultiplyAdd(a, g0, c30); c31 = GemmKernels.MultiplyAdd(a, g1, c31);
                a = Vector512.Create(r4[i]); c40 = GemmKernels.MultiplyAdd(a, g0, c40); c41 = GemmKernels.MultiplyAdd(a, g1, c41);
                a = Vector512.Create(r5[i]); c50 = GemmKernels.MultiplyAdd(a, g0, c50); c51 = GemmKernels.MultiplyAdd(a, g1, c51);
                a = Vector512.Create(r6[i]); c60 = GemmKernels.MultiplyAdd(a, g0, c60); c61 = GemmKernels.MultiplyAdd(a, g1, c61);
                a = Vector512.Create(r7[i]); c70 = GemmKernels.MultiplyAdd(a, g0, c70); c71 = GemmKernels.MultiplyAdd(a, g1, c71);
                a = Vector512.Create(r8[i]); c80 = GemmKernels.MultiplyAdd(a, g0, c80); c81 = GemmKernels.MultiplyAdd(a, g1, c81);
                a = Vector512.Create(r9[i]); c90 = GemmKernels.MultiplyAdd(a, g0, c90); c91 = GemmKernels.MultiplyAdd(a, g1, c91);
                a = Vector512.Create(r10[i]); c100 = GemmKernels.MultiplyAdd(a, g0, c100); c101 = GemmKernels.MultiplyAdd(a, g1, c101);
                a = Vector512.Create(r11[i]); c110 = GemmKernels.MultiplyAdd(a, g0, c110); c111 = GemmKernels.MultiplyAdd(a, g1, c111);
            }
        t.Add(0, 0, c00, c01); t.Add(1, 0, c10, c11); t.Add(2, 0, c20, c21); t.Add(3, 0, c30, c31); t.Add(4, 0, c40, c41); t.Add(5, 0, c50, c51);
        t.Add(6, 0, c60, c61); t.Add(7, 0, c70, c71); t.Add(8, 0, c80, c81); t.Add(9, 0, c90, c91); t.Add(10, 0, c100, c101); t.Add(11, 0, c110, c111);
    }

    static int BlockCount(int channels) => (channels + Rows - 1) / Rows;

    /// <summary>
    /// output = bias + conv2d(input, weight) for contiguous weights [OutChannels, PatchSize] (bias may be null), the
    /// weights packed first as panels of <see cref="Rows"/> channels x taps, zero past the last channel.
    /// </summary>
    static void Convolve(Tensor output, Tensor input, T* weight, T* bias, Conv2dGeometry g)
    {
        int taps = g.PatchSize, blocks = BlockCount(g.OutChannels);
        using var packed = Tensor.Empty([(long)blocks * Rows * (taps + 1)], output.DType, output.Device);
        T* panels = packed.Ptr<T>(), initial = panels + (long)blocks * Rows * taps;
        for (int oc = 0; oc < blocks * Rows; oc++)
        {
            T* panel = panels + (long)(oc / Rows) * Rows * taps + oc % Rows;
            for (int tap = 0; tap < taps; tap++)
                panel[(long)tap * Rows] = oc < g.OutChannels ? weight[(long)oc * taps + tap] : T.Zero;
            initial[oc] = bias != null && oc < g.OutChannels ? bias[oc] : T.Zero;
        }
        var layout = new PaddedImageLayout<T>(g, Columns * Lanes);
        int[] offsets = layout.TapOffsets();
        int flatSize = layout.FlatSize;
        nint x = (nint)input.Ptr<T>(), y = (nint)output.Ptr<T>(), p = (nint)panels, start = (nint)initial;
        ConvolutionKernels<T>.RunOverImages(g, output.Device, ConvolutionKernels<T>.WorkerCount(g), layout.PaddedSize + (long)Rows * flatSize, (buffer, n, _) =>
        {
            T* padded = (T*)buffer, flat = padded + layout.PaddedSize;
            layout.Place(padded, (T*)x + (long)n * g.InChannels * g.InPlane);
            T* yn = (T*)y + (long)n * g.OutChannels * g.OutPlane;
            fixed (int* tapOffsets = offsets)
                for (int block = 0; block < blocks; block++)
                {
                    T* panel = (T*)p + (long)block * Rows * offsets.Length;
                    for (int i = 0; i < flatSize; i += Columns * Lanes)
                        ForwardTile(padded + i, tapOffsets, offsets.Length, panel, (T*)start + block * Rows, flat + i, flatSize);
                    for (int oc = block * Rows; oc < Math.Min(g.OutChannels, (block + 1) * Rows); oc++)
                        layout.CopyOut(flat + (long)(oc - block * Rows) * flatSize, yn + (long)oc * g.OutPlane);
                }
        }, zeroed: true);
    }

    /// <summary>
    /// out[r, 0..2 vectors) = initial[r] + sum over taps of panel[tap, r] * input[offsets[tap] ..] for the
    /// <see cref="Rows"/> channels r of one panel; rows of <paramref name="output"/> are <paramref name="stride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForwardTile(T* input, int* offsets, int taps, T* panel, T* initial, T* output, int stride)
    {
        int lanes = Lanes;
        Vector512<T> c0a = Vector512.Create(initial[0]), c0b = c0a, c1a = Vector512.Create(initial[1]), c1b = c1a;
        Vector512<T> c2a = Vector512.Create(initial[2]), c2b = c2a, c3a = Vector512.Create(initial[3]), c3b = c3a;
        Vector512<T> c4a = Vector512.Create(initial[4]), c4b = c4a, c5a = Vector512.Create(initial[5]), c5b = c5a;
        Vector512<T> c6a = Vector512.Create(initial[6]), c6b = c6a, c7a = Vector512.Create(initial[7]), c7b = c7a;
        for (int tap = 0; tap < taps; tap++, panel += Rows)
        {
            T* q = input + offsets[tap];
            Vector512<T> xa = Vector512.Load(q), xb = Vector512.Load(q + lanes);
            Vector512<T> a = Vector512.Create(panel[0]);
            c0a = GemmKernels.MultiplyAdd(a, xa, c0a); c0b = GemmKernels.MultiplyAdd(a, xb, c0b);
            a = Vector512.Create(panel[1]);
            c1a = GemmKernels.MultiplyAdd(a, xa, c1a); c1b = GemmKernels.MultiplyAdd(a, xb, c1b);
            a = Vector512.Create(panel[2]);
            c2a = GemmKernels.MultiplyAdd(a, xa, c2a); c2b = GemmKernels.MultiplyAdd(a, xb, c2b);
            a = Vector512.Create(panel[3]);
            c3a = GemmKernels.MultiplyAdd(a, xa, c3a); c3b = GemmKernels.MultiplyAdd(a, xb, c3b);
            a = Vector512.Create(panel[4]);
            c4a = GemmKernels.MultiplyAdd(a, xa, c4a); c4b = GemmKernels.MultiplyAdd(a, xb, c4b);
            a = Vector512.Create(panel[5]);
            c5a = GemmKernels.MultiplyAdd(a, xa, c5a); c5b = GemmKernels.MultiplyAdd(a, xb, c5b);
            a = Vector512.Create(panel[6]);
            c6a = GemmKernels.MultiplyAdd(a, xa, c6a); c6b = GemmKernels.MultiplyAdd(a, xb, c6b);
            a = Vector512.Create(panel[7]);
            c7a = GemmKernels.MultiplyAdd(a, xa, c7a); c7b = GemmKernels.MultiplyAdd(a, xb, c7b);
        }
        c0a.Store(output); c0b.Store(output + lanes); output += stride;
        c1a.Store(output); c1b.Store(output + lanes); output += stride;
        c2a.Store(output); c2b.Store(output + lanes); output += stride;
        c3a.Store(output); c3b.Store(output + lanes); output += stride;
        c4a.Store(output); c4b.Store(output + lanes); output += stride;
        c5a.Store(output); c5b.Store(output + lanes); output += stride;
        c6a.Store(output); c6b.Store(output + lanes); output += stride;
        c7a.Store(output); c7b.Store(output + lanes);
    }
}
