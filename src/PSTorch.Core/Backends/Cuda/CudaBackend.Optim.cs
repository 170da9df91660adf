using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>
/// Fused multi-tensor optimizer steps (optim.cu): the parameters of one call go to the kernel as pointer arrays, so
/// a step is one launch per kernel tensor-list instead of one per parameter.
/// </summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>Parameters whose pointer arrays go on the stack; more take heap arrays.</summary>
    const int StackPointerLimit = 256;

    public void AdamStep(ReadOnlySpan<AdamTensors> parameters, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step)
    {
        int count = parameters.Length;
        if (count == 0) return;
        var device = Enter(parameters[0].Param);
        bool amsgrad = parameters[0].MaxExpAvgSq != null;
        // 4 or 5 operands' pointers, then the sizes
        int operands = amsgrad ? 5 : 4;
        Span<nint> table = count <= StackPointerLimit ? stackalloc nint[count * (operands + 1)] : new nint[count * (operands + 1)];
        for (int i = 0; i < count; i++)
        {
            var (param, grad, expAvg, expAvgSq, maxExpAvgSq) = parameters[i];
            if ((maxExpAvgSq != null) != amsgrad) throw new ArgumentException("AdamStep: max_exp_avg_sq must be given for every parameter or for none");
            SameDevice(device, param);
            SameDevice(device, grad);
            SameDevice(device, expAvg);
            SameDevice(device, expAvgSq);
            SameDevice(device, maxExpAvgSq);
            table[i] = (nint)param.DataPointer;
            table[count + i] = (nint)grad.DataPointer;
            table[2 * count + i] = (nint)expAvg.DataPointer;
            table[3 * count + i] = (nint)expAvgSq.DataPointer;
            if (amsgrad) table[4 * count + i] = (nint)maxExpAvgSq!.DataPointer;
            table[operands * count + i] = (nint)param.Numel();
        }
        fixed (nint* t = table)
        {
            void** pointers = (void**)t;
            Check(PstorchCuda.AdamStep(CudaOpCodes.Of(parameters[0].Param.DType), pointers, pointers + count, pointers + 2 * count, pointers + 3 * count,
                amsgrad ? pointers + 4 * count : null, (long*)(t + operands * count), count,
                lr, beta1, beta2, eps, weightDecay, decoupled ? 1 : 0, maximize ? 1 : 0, step, Stream));
        }
        foreach (var (param, _, expAvg, expAvgSq, maxExpAvgSq) in parameters)
        {
            param.BumpVersion();
            expAvg.BumpVersion();
            expAvgSq.BumpVersion();
            maxExpAvgSq?.BumpVersion();
        }
    }

    public void SgdStep(ReadOnlySpan<SgdTensors> parameters, bool initializeBuffers, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
    {
        int count = parameters.Length;
        if (count == 0) return;
        var device = Enter(parameters[0].Param);
        bool withMomentum = parameters[0].MomentumBuffer != null;
        int operands = withMomentum ? 3 : 2;
        Span<nint> table = count <= StackPointerLimit ? stackalloc nint[count * (operands + 1)] : new nint[count * (operands + 1)];
        for (int i = 0; i < count; i++)
        {
            var (param, grad, buffer) = parameters[i];
            if ((buffer != null) != withMomentum) throw new ArgumentException("SgdStep: a momentum buffer must be given for every parameter or for none");
            SameDevice(device, param);
            SameDevice(device, grad);
            SameDevice(device, buffer);
            table[i] = (nint)param.DataPointer;
            table[count + i] = (nint)grad.DataPointer;
            if (withMomentum) table[2 * count + i] = (nint)buffer!.DataPointer;
            table[operands * count + i] = (nint)param.Numel();
        }
        fixed (nint* t = table)
        {
            void** pointers = (void**)t;
            Check(PstorchCuda.SgdStep(CudaOpCodes.Of(parameters[0].Param.DType), pointers, pointers + count, withMomentum ? pointers + 2 * count : null,
                (long*)(t + operands * count), count, initializeBuffers ? 1 : 0,
                lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, maximize ? 1 : 0, Stream));
        }
        foreach (var (param, _, buffer) in parameters)
        {
            param.BumpVersion();
            buffer?.BumpVersion();
        }
    }

    public void AdagradStep(ReadOnlySpan<AdagradTensors> parameters, double lr, double lrDecay, double weightDecay, double eps,
        bool maximize, long step)
    {
        int count = parameters.Length;
        if (count == 0) return;
        var device = Enter(parameters[0].Param);
        const int operands = 3;
        Span<nint> table = count <= StackPointerLimit ? stackalloc nint[count * (operands + 1)] : new nint[count * (operands + 1)];
        for (int i = 0; i < count; i++)
        {
            var (param, grad, sum) = parameters[i];
            SameDevice(device, param);
            SameDevice(device, grad);
            SameDevice(device, sum);
            table[i] = (nint)param.DataPointer;
            table[count + i] = (nint)grad.DataPointer;
            table[2 * count + i] = (nint)sum.DataPointer;
            table[operands * count + i] = (nint)param.Numel();
        }
        fixed (nint* t = table)
        {
            void** pointers = (void**)t;
            Check(PstorchCuda.AdagradStep(CudaOpCodes.Of(parameters[0].Param.DType), pointers, pointers + count, pointers + 2 * count,
                (long*)(t + operands * count), count, lr, lrDecay, weightDecay, eps, maximize ? 1 : 0, step, Stream));
        }
        foreach (var (param, _, sum) in parameters)
        {
            param.BumpVersion();
            sum.BumpVersion();
        }
    }

    public void RmspropStep(ReadOnlySpan<RmspropTensors> parameters, double lr, double alpha, double eps, double weightDecay,
        double momentum, bool maximize)
    {
        int count = parameters.Length;
        if (count == 0) return;
        var device = Enter(parameters[0].Param);
        bool centered = parameters[0].GradAvg != null, withMomentum = parameters[0].MomentumBuffer != null;
        // param, grad, square_avg, then grad_avg and momentum_buffer where present, then the sizes
        const int gradAvgRow = 3;
        int bufferRow = centered ? 4 : 3, operands = bufferRow + (withMomentum ? 1 : 0);
        Span<nint> table = count <= StackPointerLimit ? stackalloc nint[count * (operands + 1)] : new nint[count * (operands + 1)];
        for (int i = 0; i < count; i++)
        {
            var (param, grad, squareAvg, gradAvg, buffer) = parameters[i];
            if ((gradAvg != null) != centered) throw new ArgumentException("RmspropStep: grad_avg must be given for every parameter or for none");
            if ((buffer != null) != withMomentum) throw new ArgumentException("RmspropStep: a momentum buffer must be given for every parameter or for none");
            SameDevice(device, param);
            SameDevice(device, grad);
            SameDevice(device, squareAvg);
            SameDevice(device, gradAvg);
            SameDevice(device, buffer);
            table[i] = (nint)param.DataPointer;
            table[count + i] = (nint)grad.DataPointer;
            table[2 * count + i] = (nint)squareAvg.DataPointer;
            if (centered) table[gradAvgRow * count + i] = (nint)gradAvg!.DataPointer;
            if (withMomentum) table[bufferRow * count + i] = (nint)buffer!.DataPointer;
            table[operands * count + i] = (nint)param.Numel();
        }
        fixed (nint* t = table)
        {
            void** pointers = (void**)t;
            Check(PstorchCuda.RmspropStep(CudaOpCodes.Of(parameters[0].Param.DType), pointers, pointers + count, pointers + 2 * count,
                centered ? pointers + gradAvgRow * count : null, withMomentum ? pointers + bufferRow * count : null,
                (long*)(t + operands * count), count, lr, alpha, eps, weightDecay, momentum, maximize ? 1 : 0, Stream));
        }
        foreach (var (param, _, squareAvg, gradAvg, buffer) in parameters)
        {
            param.BumpVersion();
            squareAvg.BumpVersion();
            gradAvg?.BumpVersion();
            buffer?.BumpVersion();
        }
    }
}
