using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Fused optimizer steps (Adam/AdamW, SGD, Adagrad, RMSprop), parameter by parameter: each element of a parameter
/// and its state is read and written once, vectorised with Vector&lt;T&gt;, and large tensors are split over the
/// persistent thread team, so a step allocates nothing.
/// </summary>
internal sealed unsafe partial class CpuBackend
{
    struct AdamArgs
    {
        public nint Param, Grad, ExpAvg, ExpAvgSq, MaxExpAvgSq;
        public long Count;
        public int Parts;
        public bool IsDouble;
        public double GradSign, GradDecay, ParamScale, Beta1, Beta2, Eps, StepSize, BiasCorrection2Sqrt;
    }

    struct SgdArgs
    {
        public nint Param, Grad, MomentumBuffer;
        public long Count;
        public int Parts;
        public bool IsDouble, InitializeBuffer, Nesterov;
        public double WeightDecay, Momentum, Dampening, GradSign, Lr;
    }

    struct AdagradArgs
    {
        public nint Param, Grad, Sum;
        public long Count;
        public int Parts;
        public bool IsDouble;
        public double GradSign, WeightDecay, Eps, Clr;
    }

    struct RmspropArgs
    {
        public nint Param, Grad, SquareAvg, GradAvg, MomentumBuffer;
        public long Count;
        public int Parts;
        public bool IsDouble;
        public double GradSign, WeightDecay, Alpha, Eps, Momentum, Lr;
    }

    public void AdamStep(ReadOnlySpan<AdamTensors> parameters, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step)
    {
        foreach (var (param, grad, expAvg, expAvgSq, maxExpAvgSq) in parameters)
            AdamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, decoupled, maximize, step);
    }

    public void SgdStep(ReadOnlySpan<SgdTensors> parameters, bool initializeBuffers, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
    {
        foreach (var (param, grad, momentumBuffer) in parameters)
            SgdStep(param, grad, momentumBuffer, initializeBuffers, lr, momentum, dampening, weightDecay, nesterov, maximize);
    }

    public void AdagradStep(ReadOnlySpan<AdagradTensors> parameters, double lr, double lrDecay, double weightDecay, double eps,
        bool maximize, long step)
    {
        // the decayed learning rate as torch.optim.Adagrad computes it, in double
        double clr = lr / (1 + (step - 1) * lrDecay);
        foreach (var (param, grad, sum) in parameters)
            AdagradStep(param, grad, sum, clr, weightDecay, eps, maximize);
    }

    public void RmspropStep(ReadOnlySpan<RmspropTensors> parameters, double lr, double alpha, double eps, double weightDecay,
        double momentum, bool maximize)
    {
        foreach (var (param, grad, squareAvg, gradAvg, momentumBuffer) in parameters)
            RmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, lr, alpha, eps, weightDecay, momentum, maximize);
    }

    static void AdamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step)
    {
        var args = new AdamArgs
        {
            Param = (nint)param.DataPointer, Grad = (nint)grad.DataPointer, ExpAvg = (nint)expAvg.DataPointer, ExpAvgSq = (nint)expAvgSq.DataPointer,
            MaxExpAvgSq = maxExpAvgSq == null ? 0 : (nint)maxExpAvgSq.DataPointer,
            Count = param.Numel(), IsDouble = param.DType == DType.Float64,
            GradSign = maximize ? -1 : 1,
            GradDecay = decoupled ? 0 : weightDecay,
            ParamScale = decoupled ? 1 - lr * weightDecay : 1,
            Beta1 = beta1, Beta2 = beta2, Eps = eps,
            StepSize = lr / (1 - Math.Pow(beta1, step)),
            BiasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step)),
        };
        args.Parts = PartsFor(args.Count);
        RunParts(&AdamPart, &args, ref args.Parts);
        param.BumpVersion();
        expAvg.BumpVersion();
        expAvgSq.BumpVersion();
        maxExpAvgSq?.BumpVersion();
    }

    static void SgdStep(Tensor param, Tensor grad, Tensor? momentumBuffer, bool initializeBuffer, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
    {
        var args = new SgdArgs
        {
            Param = (nint)param.DataPointer, Grad = (nint)grad.DataPointer,
            MomentumBuffer = momentumBuffer == null ? 0 : (nint)momentumBuffer.DataPointer,
            Count = param.Numel(), IsDouble = param.DType == DType.Float64,
            InitializeBuffer = initializeBuffer, Nesterov = nesterov,
            WeightDecay = weightDecay, Momentum = momentum, Dampening = dampening,
            GradSign = maximize ? -1 : 1, Lr = lr,
        };
        args.Parts = PartsFor(args.Count);
        RunParts(&SgdPart, &args, ref args.Parts);
        param.BumpVersion();
        momentumBuffer?.BumpVersion();
    }

    static void AdagradStep(Tensor param, Tensor grad, Tensor sum, double clr, double weightDecay, double eps, bool maximize)
    {
        var args = new AdagradArgs
        {
            Param = (nint)param.DataPointer, Grad = (nint)grad.DataPointer, Sum = (nint)sum.DataPointer,
            Count = param.Numel(), IsDouble = param.DType == DType.Float64,
            GradSign = maximize ? -1 : 1, WeightDecay = weightDecay, Eps = eps, Clr = clr,
        };
        args.Parts = PartsFor(args.Count);
        RunParts(&AdagradPart, &args, ref args.Parts);
        param.BumpVersion();
        sum.BumpVersion();
    }

    static void RmspropStep(Tensor param, Tensor grad, Tensor squareAvg, Tensor? gradAvg, Tensor? momentumBuffer, double lr, double alpha,
        double eps, double weightDecay, double momentum, bool maximize)
    {
        var args = new RmspropArgs
        {
            Param = (nint)param.DataPointer, Grad = (nint)grad.DataPointer, SquareAvg = (nint)squareAvg.DataPointer,
            GradAvg = gradAvg == null ? 0 : (nint)gradAvg.DataPointer,
            MomentumBuffer = momentumBuffer == null ? 0 : (nint)momentumBuffer.DataPointer,
            Count = param.Numel(), IsDouble = param.DType == DType.Float64,
            GradSign = maximize ? -1 : 1, WeightDecay = weightDecay, Alpha = alpha, Eps = eps, Momentum = momentum, Lr = lr,
        };
        args.Parts = PartsFor(args.Count);
        RunParts(&RmspropPart, &args, ref args.Parts);
        param.BumpVersion();
        squareAvg.BumpVersion();
        gradAvg?.BumpVersion();
        momentumBuffer?.BumpVersion();
    }

    static int PartsFor(long count) =>
        count < StridedLoop.ParallelThreshold ? 1 : (int)Math.Min(Math.Min(CpuThreads.Count, ThreadTeam.MaxParts), count / (StridedLoop.ParallelThreshold / 2));

    /// <summary>Runs the parts on the thread team, or everything as one part on this thread when the team is busy.</summary>
    static void RunParts(delegate*<void*, int, void> work, void* state, ref int parts)
    {
        if (parts > 1 && ThreadTeam.TryRun(work, state, parts)) return;
        parts = 1;
        work(state, 0);
    }

    /// <summary>Part <paramref name="part"/> of [0, count), its boundaries on whole vectors so parts never share one.</summary>
    static (long Start, long End) PartRange(long count, int parts, int part, int vectorLength)
    {
        long per = (count + parts - 1) / parts;
        per = (per + vectorLength - 1) / vectorLength * vectorLength;
        return (Math.Min(count, per * part), Math.Min(count, per * (part + 1)));
    }

    static void AdamPart(void* state, int part)
    {
        ref var a = ref Unsafe.AsRef<AdamArgs>(state);
        if (a.IsDouble) AdamRange<double>(ref a, part);
        else AdamRange<float>(ref a, part);
    }

    static void SgdPart(void* state, int part)
    {
        ref var a = ref Unsafe.AsRef<SgdArgs>(state);
        if (a.IsDouble) SgdRange<double>(ref a, part);
        else SgdRange<float>(ref a, part);
    }

    static void AdagradPart(void* state, int part)
    {
        ref var a = ref Unsafe.AsRef<AdagradArgs>(state);
        if (a.IsDouble) AdagradRange<double>(ref a, part);
        else AdagradRange<float>(ref a, part);
    }

    static void RmspropPart(void* state, int part)
    {
        ref var a = ref Unsafe.AsRef<RmspropArgs>(state);
        if (a.IsDouble) RmspropRange<double>(ref a, part);
        else RmspropRange<float>(ref a, part);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AdamRange<T>(ref AdamArgs a, int part) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (start, end) = PartRange(a.Count, a.Parts, part, Vector<T>.Count);
        T* p = (T*)a.Param, g = (T*)a.Grad, m = (T*)a.ExpAvg, v = (T*)a.ExpAvgSq, vmax = (T*)a.MaxExpAvgSq;
        bool decayGrad = a.GradDecay != 0, scaleParam = a.ParamScale != 1, amsgrad = vmax != null;
        T sign = T.CreateTruncating(a.GradSign), decay = T.CreateTruncating(a.GradDecay), scale = T.CreateTruncating(a.ParamScale);
        T beta1 = T.CreateTruncating(a.Beta1), oneMinusBeta1 = T.CreateTruncating(1 - a.Beta1);
        T beta2 = T.CreateTruncating(a.Beta2), oneMinusBeta2 = T.CreateTruncating(1 - a.Beta2);
        T eps = T.CreateTruncating(a.Eps), stepSize = T.CreateTruncating(a.StepSize), bc2Sqrt = T.CreateTruncating(a.BiasCorrection2Sqrt);
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vSign = new(sign), vDecay = new(decay), vScale = new(scale), vBeta1 = new(beta1), vOneMinusBeta1 = new(oneMinusBeta1);
            Vector<T> vBeta2 = new(beta2), vOneMinusBeta2 = new(oneMinusBeta2), vEps = new(eps), vStepSize = new(stepSize), vBc2Sqrt = new(bc2Sqrt);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = LoadVector(p + i);
                var gi = LoadVector(g + i) * vSign;
                if (decayGrad) gi += pi * vDecay;
                if (scaleParam) pi *= vScale;
                var mi = LoadVector(m + i) * vBeta1 + gi * vOneMinusBeta1;
                var vi = LoadVector(v + i) * vBeta2 + gi * gi * vOneMinusBeta2;
                StoreVector(m + i, mi);
                StoreVector(v + i, vi);
                if (amsgrad)
                {
                    vi = Vector.Max(LoadVector(vmax + i), vi);
                    StoreVector(vmax + i, vi);
                }
                var denom = Vector.SquareRoot(vi) / vBc2Sqrt + vEps;
                StoreVector(p + i, pi - mi / denom * vStepSize);
            }
        }
        for (; i < end; i++)
        {
            T pi = p[i], gi = g[i] * sign;
            if (decayGrad) gi += pi * decay;
            if (scaleParam) pi *= scale;
            T mi = m[i] * beta1 + gi * oneMinusBeta1;
            T vi = v[i] * beta2 + gi * gi * oneMinusBeta2;
            m[i] = mi;
            v[i] = vi;
            if (amsgrad) vmax[i] = vi = T.Max(vmax[i], vi);
            T denom = T.Sqrt(vi) / bc2Sqrt + eps;
            p[i] = pi - mi / denom * stepSize;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SgdRange<T>(ref SgdArgs a, int part) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (start, end) = PartRange(a.Count, a.Parts, part, Vector<T>.Count);
        T* p = (T*)a.Param, g = (T*)a.Grad, buf = (T*)a.MomentumBuffer;
        bool decay = a.WeightDecay != 0, useMomentum = buf != null, init = a.InitializeBuffer, nesterov = a.Nesterov;
        T wd = T.CreateTruncating(a.WeightDecay), momentum = T.CreateTruncating(a.Momentum);
        T oneMinusDampening = T.CreateTruncating(1 - a.Dampening), sign = T.CreateTruncating(a.GradSign), lr = T.CreateTruncating(a.Lr);
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vWd = new(wd), vMomentum = new(momentum), vOneMinusDampening = new(oneMinusDampening), vSign = new(sign), vLr = new(lr);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = LoadVector(p + i);
                var gi = LoadVector(g + i) * vSign;
                if (decay) gi += pi * vWd;
                if (useMomentum)
                {
                    var bi = init ? gi : LoadVector(buf + i) * vMomentum + gi * vOneMinusDampening;
                    StoreVector(buf + i, bi);
                    gi = nesterov ? gi + bi * vMomentum : bi;
                }
                StoreVector(p + i, pi - gi * vLr);
            }
        }
        for (; i < end; i++)
        {
            T pi = p[i], gi = g[i] * sign;
            if (decay) gi += pi * wd;
            if (useMomentum)
            {
                T bi = init ? gi : buf[i] * momentum + gi * oneMinusDampening;
                buf[i] = bi;
                gi = nesterov ? gi + bi * momentum : bi;
            }
            p[i] = pi - gi * lr;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AdagradRange<T>(ref AdagradArgs a, int part) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (start, end) = PartRange(a.Count, a.Parts, part, Vector<T>.Count);
        T* p = (T*)a.Param, g = (T*)a.Grad, sum = (T*)a.Sum;
        bool decay = a.WeightDecay != 0;
        T sign = T.CreateTruncating(a.GradSign), wd = T.CreateTruncating(a.WeightDecay);
        T eps = T.CreateTruncating(a.Eps), clr = T.CreateTruncating(a.Clr);
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vSign = new(sign), vWd = new(wd), vEps = new(eps), vClr = new(clr);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = LoadVector(p + i);
                var gi = LoadVector(g + i) * vSign;
                if (decay) gi += pi * vWd;
                var si = LoadVector(sum + i) + gi * gi;
                StoreVector(sum + i, si);
                StoreVector(p + i, pi - gi / (Vector.SquareRoot(si) + vEps) * vClr);
            }
        }
        for (; i < end; i++)
        {
            T pi = p[i], gi = g[i] * sign;
            if (decay) gi += pi * wd;
            T si = sum[i] + gi * gi;
            sum[i] = si;
            p[i] = pi - gi / (T.Sqrt(si) + eps) * clr;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RmspropRange<T>(ref RmspropArgs a, int part) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (start, end) = PartRange(a.Count, a.Parts, part, Vector<T>.Count);
        T* p = (T*)a.Param, g = (T*)a.Grad, sq = (T*)a.SquareAvg, gavg = (T*)a.GradAvg, buf = (T*)a.MomentumBuffer;
        bool decay = a.WeightDecay != 0, centered = gavg != null, useMomentum = buf != null;
        T sign = T.CreateTruncating(a.GradSign), wd = T.CreateTruncating(a.WeightDecay);
        T alpha = T.CreateTruncating(a.Alpha), oneMinusAlpha = T.CreateTruncating(1 - a.Alpha);
        T eps = T.CreateTruncating(a.Eps), momentum = T.CreateTruncating(a.Momentum), lr = T.CreateTruncating(a.Lr);
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<T> vSign = new(sign), vWd = new(wd), vAlpha = new(alpha), vOneMinusAlpha = new(oneMinusAlpha);
            Vector<T> vEps = new(eps), vMomentum = new(momentum), vLr = new(lr);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var pi = LoadVector(p + i);
                var gi = LoadVector(g + i) * vSign;
                if (decay) gi += pi * vWd;
                var avg = LoadVector(sq + i) * vAlpha + gi * gi * vOneMinusAlpha;
                StoreVector(sq + i, avg);
                if (centered)
                {
                    var gai = LoadVector(gavg + i) * vAlpha + gi * vOneMinusAlpha;
                    StoreVector(gavg + i, gai);
                    avg -= gai * gai;
                }
                var step = gi / (Vector.SquareRoot(avg) + vEps);
                if (useMomentum)
                {
                    step += LoadVector(buf + i) * vMomentum;
                    StoreVector(buf + i, step);
                }
                StoreVector(p + i, pi - step * vLr);
            }
        }
        for (; i < end; i++)
        {
            T pi = p[i], gi = g[i] * sign;
            if (decay) gi += pi * wd;
            T avg = sq[i] * alpha + gi * gi * oneMinusAlpha;
            sq[i] = avg;
            if (centered)
            {
                T gai = gavg[i] * alpha + gi * oneMinusAlpha;
                gavg[i] = gai;
                avg -= gai * gai;
            }
            T step = gi / (T.Sqrt(avg) + eps);
            if (useMomentum)
            {
                step += buf[i] * momentum;
                buf[i] = step;
            }
            p[i] = pi - step * lr;
        }
    }

    static Vector<T> LoadVector<T>(T* source) where T : unmanaged => Unsafe.ReadUnaligned<Vector<T>>(source);

    static void StoreVector<T>(T* destination, Vector<T> value) where T : unmanaged => Unsafe.WriteUnaligned(destination, value);
}
