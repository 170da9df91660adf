using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

/// <summary>Fused optimizer steps (optim.cu), one parameter per call as IBackend's optimizers issue them.</summary>
internal sealed unsafe partial class CudaBackend
{
    public void AdamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, double lr, double beta1, double beta2,
        double eps, double weightDecay, bool decoupled, bool maximize, long step)
    {
        SameDevice(Enter(param), grad, expAvg, expAvgSq, maxExpAvgSq);
        void* p = param.DataPointer, g = grad.DataPointer, m = expAvg.DataPointer, v = expAvgSq.DataPointer;
        void* vmax = maxExpAvgSq == null ? null : maxExpAvgSq.DataPointer;
        long size = param.Numel();
        Check(PstorchCuda.AdamStep(CudaOpCodes.Of(param.DType), &p, &g, &m, &v, maxExpAvgSq == null ? null : &vmax, &size, 1,
            lr, beta1, beta2, eps, weightDecay, decoupled ? 1 : 0, maximize ? 1 : 0, step, Stream));
    }

    public void SgdStep(Tensor param, Tensor grad, Tensor? momentumBuffer, bool initializeBuffer, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool maximize)
    {
        SameDevice(Enter(param), grad, momentumBuffer);
        void* p = param.DataPointer, g = grad.DataPointer;
        void* buffer = momentumBuffer == null ? null : momentumBuffer.DataPointer;
        long size = param.Numel();
        Check(PstorchCuda.SgdStep(CudaOpCodes.Of(param.DType), &p, &g, momentumBuffer == null ? null : &buffer, &size, 1, initializeBuffer ? 1 : 0,
            lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, maximize ? 1 : 0, Stream));
    }
}
