using PSTorch.Cuda.Bindings;

namespace PSTorch.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>
    /// CUDA events recorded on the stream around the calls (torch.cuda.Event(enable_timing=True)): the device's own
    /// clock from the first queued kernel's slot to the last one's completion, host launch gaps in between included.
    /// </summary>
    public double Time(Device device, Action action, int calls)
    {
        MakeCurrent(device);
        Check(PstorchCuda.DeviceSynchronize());
        void* start = null, end = null;
        try
        {
            Check(PstorchCuda.EventCreate(&start));
            Check(PstorchCuda.EventCreate(&end));
            Check(PstorchCuda.EventRecord(start, Stream));
            for (int i = 0; i < calls; i++) action();
            MakeCurrent(device);
            Check(PstorchCuda.EventRecord(end, Stream));
            Check(PstorchCuda.EventSynchronize(end));
            float milliseconds;
            Check(PstorchCuda.EventElapsedMs(start, end, &milliseconds));
            return milliseconds / 1000.0;
        }
        finally
        {
            if (start != null) PstorchCuda.EventDestroy(start);
            if (end != null) PstorchCuda.EventDestroy(end);
        }
    }
}
