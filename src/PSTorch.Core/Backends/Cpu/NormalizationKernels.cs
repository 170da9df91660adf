using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Fused batch_norm and layer_norm (IBackend.Normalization) for float32 and float64. Each channel or row is read
/// twice for its statistics (the sum, then the sum of squared deviations from the mean: as stable as the composed
/// mean/var without Welford's per-element division) and once more to normalise, while it is still in cache for
/// rows and small channels. Vector partial sums run in T; a channel's segments add up in double. Channels or rows
/// are split over the threads; the layer-norm weight/bias gradients sum per-thread partial rows.
/// </summary>
internal static unsafe class NormalizationKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static int Workers(long items, long elements) =>
        elements >= StridedLoop.ParallelThreshold ? (int)Math.Min(CpuThreads.Count, items) : 1;

    /// <summary>body(first, end) over [0, items) split into one range per worker.</summary>
    static void Split(long items, long elements, Action<long, long> body)
    {
        int workers = Workers(items, elements);
        if (workers <= 1) body(0, items);
        else CpuThreads.For(workers, w => body(items * w / workers, items * (w + 1) / workers));
    }

    public static void BatchNormForward(Tensor output, Tensor? saveMean, Tensor? saveInvstd, Tensor? runningMean, Tensor? runningVar, Tensor input,
        Tensor? weight, Tensor? bias, long batch, long channels, long plane, bool training, double momentum, double eps)
    {
        nint y = (nint)output.Ptr<T>(), x = (nint)input.Ptr<T>();
        nint sm = Pointer(saveMean), si = Pointer(saveInvstd), rm = Pointer(runningMean), rv = Pointer(runningVar), w = Pointer(weight), b = Pointer(bias);
        long count = batch * plane;
        Split(channels, channels * count, (c0, c1) =>
        {
            for (long c = c0; c < c1; c++)
            {
                double mean, invstd;
                if (training)
                {
                    double sum = 0;
                    for (long n = 0; n < batch; n++) sum += Sum((T*)x + (n * channels + c) * plane, plane);
                    mean = sum / count;
                    double squares = 0;
                    T m = T.CreateTruncating(mean);
                    for (long n = 0; n < batch; n++) squares += SumSquaredDeviations((T*)x + (n * channels + c) * plane, plane, m);
                    double variance = squares / count;
                    invstd = 1 / Math.Sqrt(variance + eps);
                    if (rm != 0) ((T*)rm)[c] = T.CreateTruncating(double.CreateTruncating(((T*)rm)[c]) * (1 - momentum) + mean * momentum);
                    if (rv != 0)
                        ((T*)rv)[c] = T.CreateTruncating(double.CreateTruncating(((T*)rv)[c]) * (1 - momentum) + variance * (momentum * count / (count - 1)));
                }
                else
                {
                    mean = double.CreateTruncating(((T*)rm)[c]);
                    invstd = 1 / Math.Sqrt(double.CreateTruncating(((T*)rv)[c]) + eps);
                }
                if (sm != 0) ((T*)sm)[c] = T.CreateTruncating(mean);
                if (si != 0) ((T*)si)[c] = T.CreateTruncating(invstd);
                T scale = T.CreateTruncating(invstd * (w != 0 ? double.CreateTruncating(((T*)w)[c]) : 1));
                T shift = b != 0 ? ((T*)b)[c] : T.Zero;
                T tm = T.CreateTruncating(mean);
                for (long n = 0; n < batch; n++)
                {
                    long o = (n * channels + c) * plane;
                    ScaleShift((T*)x + o, (T*)y + o, plane, tm, scale, shift);
                }
            }
        });
    }

    public static void BatchNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveInvstd, long batch, long channels, long plane, bool training)
    {
        nint gx = Pointer(gradInput), gw = Pointer(gradWeight), gb = Pointer(gradBias), gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>();
        nint w = Pointer(weight), sm = (nint)saveMean.Ptr<T>(), si = (nint)saveInvstd.Ptr<T>();
        long count = batch * plane;
        bool sums = gw != 0 || gb != 0 || (gx != 0 && training);
        Split(channels, channels * count, (c0, c1) =>
        {
            for (long c = c0; c < c1; c++)
            {
                T mean = ((T*)sm)[c];
                double invstd = double.CreateTruncating(((T*)si)[c]), wc = w != 0 ? double.CreateTruncating(((T*)w)[c]) : 1;
                double sumDy = 0, sumDyCentered = 0;
                if (sums)
                    for (long n = 0; n < batch; n++)
                    {
                        long o = (n * channels + c) * plane;
                        var (dy, dyCentered) = SumsOfGradient((T*)gy + o, (T*)x + o, plane, mean);
                        sumDy += dy;
                        sumDyCentered += dyCentered;
                    }
                if (gw != 0) ((T*)gw)[c] = T.CreateTruncating(sumDyCentered * invstd);
                if (gb != 0) ((T*)gb)[c] = T.CreateTruncating(sumDy);
                if (gx == 0) continue;
                // training: gx = invstd w (dy - mean(dy) - xhat mean(dy xhat)) = dy k1 + (x - mean) k2 + k3; eval: dy k1
                T k1 = T.CreateTruncating(invstd * wc);
                T k2 = T.CreateTruncating(-invstd * invstd * invstd * wc * sumDyCentered / count), k3 = T.CreateTruncating(-invstd * wc * sumDy / count);
                for (long n = 0; n < batch; n++)
                {
                    long o = (n * channels + c) * plane;
                    if (training) GradientOfInput((T*)gy + o, (T*)x + o, (T*)gx + o, plane, mean, k1, k2, k3);
                    else ScaleShift((T*)gy + o, (T*)gx + o, plane, T.Zero, k1, T.Zero);
                }
            }
        });
    }

    public static void LayerNormForward(Tensor output, Tensor? saveMean, Tensor? saveRstd, Tensor input, Tensor? weight, Tensor? bias, long rows, long cols, double eps)
    {
        nint y = (nint)output.Ptr<T>(), x = (nint)input.Ptr<T>(), sm = Pointer(saveMean), sr = Pointer(saveRstd), w = Pointer(weight), b = Pointer(bias);
        Split(rows, rows * cols, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                T* xr = (T*)x + r * cols;
                double mean = Sum(xr, cols) / cols;
                T m = T.CreateTruncating(mean);
                double rstd = 1 / Math.Sqrt(SumSquaredDeviations(xr, cols, m) / cols + eps);
                if (sm != 0) ((T*)sm)[r] = m;
                if (sr != 0) ((T*)sr)[r] = T.CreateTruncating(rstd);
                T* yr = (T*)y + r * cols;
                ScaleShift(xr, yr, cols, m, T.CreateTruncating(rstd), T.Zero);
                if (w != 0 && b != 0) MultiplyAdd(yr, (T*)w, (T*)b, cols);
                else if (w != 0) Multiply(yr, (T*)w, cols);
                else if (b != 0) Add(yr, (T*)b, cols);
            }
        });
    }

    public static void LayerNormBackward(Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor gradOutput, Tensor input, Tensor? weight,
        Tensor saveMean, Tensor saveRstd, long rows, long cols)
    {
        nint gx = Pointer(gradInput), gy = (nint)gradOutput.Ptr<T>(), x = (nint)input.Ptr<T>(), w = Pointer(weight);
        nint sm = (nint)saveMean.Ptr<T>(), sr = (nint)saveRstd.Ptr<T>();
        bool parameters = gradWeight != null || gradBias != null;
        int workers = Workers(rows, rows * cols);
        // per worker: its rows' sums of dy xhat (weight) and dy (bias), added up in double afterwards
        var partialWeight = parameters ? new T[workers * cols] : null;
        var partialBias = parameters ? new T[workers * cols] : null;
        void Rows(int worker, long r0, long r1)
        {
            var scratch = gx != 0 && w != 0 ? new T[cols] : null;
            fixed (T* pw = partialWeight, pb = partialBias, g = scratch)
            {
                T* accWeight = pw + worker * cols, accBias = pb + worker * cols;
                for (long r = r0; r < r1; r++)
                {
                    T* dy = (T*)gy + r * cols, xr = (T*)x + r * cols;
                    T mean = ((T*)sm)[r], rstd = ((T*)sr)[r];
                    if (parameters) AccumulateParameterGradients(dy, xr, accWeight, accBias, cols, mean, rstd);
                    if (gx == 0) continue;
                    T* gr = dy;
                    if (w != 0)
                    {
                        gr = g;
                        for (long j = 0; j < cols; j++) g[j] = dy[j] * ((T*)w)[j];
                    }
                    var (sumG, sumGCentered) = SumsOfGradient(gr, xr, cols, mean);
                    double r64 = double.CreateTruncating(rstd);
                    // rstd (g - mean(g) - xhat mean(g xhat)) = g k1 + (x - mean) k2 + k3
                    GradientOfInput(gr, xr, (T*)gx + r * cols, cols, mean, rstd,
                        T.CreateTruncating(-r64 * r64 * r64 * sumGCentered / cols), T.CreateTruncating(-r64 * sumG / cols));
                }
            }
        }
        if (workers <= 1) Rows(0, 0, rows);
        else CpuThreads.For(workers, k => Rows(k, rows * k / workers, rows * (k + 1) / workers));
        if (!parameters) return;
        T* gw = (T*)Pointer(gradWeight), gb = (T*)Pointer(gradBias);
        for (long j = 0; j < cols; j++)
        {
            double sw = 0, sb = 0;
            for (int k = 0; k < workers; k++)
            {
                sw += double.CreateTruncating(partialWeight![k * cols + j]);
                sb += double.CreateTruncating(partialBias![k * cols + j]);
            }
            if (gw != null) gw[j] = T.CreateTruncating(sw);
            if (gb != null) gb[j] = T.CreateTruncating(sb);
        }
    }

    static nint Pointer(Tensor? t) => t == null ? 0 : (nint)t.Ptr<T>();

    static int Lanes => Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<T> Load(T* p) => Unsafe.ReadUnaligned<Vector<T>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(T* p, Vector<T> v) => Unsafe.WriteUnaligned(p, v);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double Sum(T* x, long n)
    {
        int lanes = Lanes;
        var a0 = Vector<T>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
        long i = 0;
        for (; i <= n - 4 * lanes; i += 4 * lanes)
        {
            a0 += Load(x + i); a1 += Load(x + i + lanes); a2 += Load(x + i + 2 * lanes); a3 += Load(x + i + 3 * lanes);
        }
        for (; i <= n - lanes; i += lanes) a0 += Load(x + i);
        double sum = double.CreateTruncating(Vector.Sum((a0 + a1) + (a2 + a3)));
        for (; i < n; i++) sum += double.CreateTruncating(x[i]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double SumSquaredDeviations(T* x, long n, T mean)
    {
        int lanes = Lanes;
        var m = new Vector<T>(mean);
        var a0 = Vector<T>.Zero; var a1 = a0;
        long i = 0;
        for (; i <= n - 2 * lanes; i += 2 * lanes)
        {
            var d0 = Load(x + i) - m; var d1 = Load(x + i + lanes) - m;
            a0 += d0 * d0; a1 += d1 * d1;
        }
        for (; i <= n - lanes; i += lanes) { var d = Load(x + i) - m; a0 += d * d; }
        double sum = double.CreateTruncating(Vector.Sum(a0 + a1));
        for (; i < n; i++) { double d = double.CreateTruncating(x[i] - mean); sum += d * d; }
        return sum;
    }

    /// <summary>y = (x - mean) * scale + shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ScaleShift(T* x, T* y, long n, T mean, T scale, T shift)
    {
        int lanes = Lanes;
        Vector<T> m = new(mean), s = new(scale), b = new(shift);
        long i = 0;
        for (; i <= n - lanes; i += lanes) Store(y + i, (Load(x + i) - m) * s + b);
        for (; i < n; i++) y[i] = (x[i] - mean) * scale + shift;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void MultiplyAdd(T* y, T* w, T* b, long n)
    {
        int lanes = Lanes;
        long i = 0;
        for (; i <= n - lanes; i += lanes) Store(y + i, Load(y + i) * Load(w + i) + Load(b + i));
        for (; i < n; i++) y[i] = y[i] * w[i] + b[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Multiply(T* y, T* w, long n)
    {
        int lanes = Lanes;
        long i = 0;
        for (; i <= n - lanes; i += lanes) Store(y + i, Load(y + i) * Load(w + i));
        for (; i < n; i++) y[i] *= w[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Add(T* y, T* b, long n)
    {
        int lanes = Lanes;
        long i = 0;
        for (; i <= n - lanes; i += lanes) Store(y + i, Load(y + i) + Load(b + i));
        for (; i < n; i++) y[i] += b[i];
    }

    /// <summary>sum(g) and sum(g * (x - mean)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (double Sum, double SumCentered) SumsOfGradient(T* g, T* x, long n, T mean)
    {
        int lanes = Lanes;
        var m = new Vector<T>(mean);
        var s0 = Vector<T>.Zero; var s1 = s0; var c0 = s0; var c1 = s0;
        long i = 0;
        for (; i <= n - 2 * lanes; i += 2 * lanes)
        {
            var g0 = Load(g + i); var g1 = Load(g + i + lanes);
            s0 += g0; s1 += g1;
            c0 += g0 * (Load(x + i) - m); c1 += g1 * (Load(x + i + lanes) - m);
        }
        for (; i <= n - lanes; i += lanes) { var g0 = Load(g + i); s0 += g0; c0 += g0 * (Load(x + i) - m); }
        double sum = double.CreateTruncating(Vector.Sum(s0 + s1)), centered = double.CreateTruncating(Vector.Sum(c0 + c1));
        for (; i < n; i++)
        {
            sum += double.CreateTruncating(g[i]);
            centered += double.CreateTruncating(g[i] * (x[i] - mean));
        }
        return (sum, centered);
    }

    /// <summary>gx = g * k1 + (x - mean) * k2 + k3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void GradientOfInput(T* g, T* x, T* gx, long n, T mean, T k1, T k2, T k3)
    {
        int lanes = Lanes;
        Vector<T> m = new(mean), v1 = new(k1), v2 = new(k2), v3 = new(k3);
        long i = 0;
        for (; i <= n - lanes; i += lanes) Store(gx + i, Load(g + i) * v1 + ((Load(x + i) - m) * v2 + v3));
        for (; i < n; i++) gx[i] = g[i] * k1 + ((x[i] - mean) * k2 + k3);
    }

    /// <summary>accWeight += dy * (x - mean) * rstd, accBias += dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AccumulateParameterGradients(T* dy, T* x, T* accWeight, T* accBias, long n, T mean, T rstd)
    {
        int lanes = Lanes;
        Vector<T> m = new(mean), r = new(rstd);
        long i = 0;
        for (; i <= n - lanes; i += lanes)
        {
            var g = Load(dy + i);
            Store(accWeight + i, Load(accWeight + i) + g * ((Load(x + i) - m) * r));
            Store(accBias + i, Load(accBias + i) + g);
        }
        for (; i < n; i++)
        {
            accWeight[i] += dy[i] * ((x[i] - mean) * rstd);
            accBias[i] += dy[i];
        }
    }
}
