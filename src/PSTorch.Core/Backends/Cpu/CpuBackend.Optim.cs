using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Fused optimizer steps, parameter by parameter: each element of a parameter and its state is read and written
/// once, vectorised with Vector&lt;T&gt;, and large tensors are split over the persistent thread team, so a step
/// allocates nothing.
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

    static Vector<T> LoadVector<T>(T* source) where T : unmanaged => Unsafe.ReadUnaligned<Vector<T>>(source);

    static void StoreVector<T>(T* destination, Vector<T> value) where T : unmanaged => Unsafe.WriteUnaligned(destination, value);
}
