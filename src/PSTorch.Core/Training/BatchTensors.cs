using PSTorch.Backends.Cuda;
using PSTorch.Data;

namespace PSTorch.Training;

/// <summary>
/// A batch's input and target on the training device. From the CPU to a CUDA device they are uploaded on the device's
/// copy stream (<see cref="CudaCopyStream"/>): <see cref="OrderBeforeKernels"/> makes the kernels queued next wait for
/// the upload. <see cref="Dispose"/> releases what this step owns: the copies made for the device, and the loader's own
/// tensors when the loader builds every batch anew (after the upload is complete).
/// </summary>
internal sealed class BatchTensors : IDisposable
{
    readonly Tensor loadedInput;
    readonly Tensor? loadedTarget;
    readonly bool ownsLoaded;
    readonly CopyFence? uploads;
    readonly List<Tensor> uploadSources;

    BatchTensors(Tensor input, Tensor? target, Tensor loadedInput, Tensor? loadedTarget, bool ownsLoaded, CopyFence? uploads, List<Tensor> uploadSources)
    {
        Input = input;
        Target = target;
        this.loadedInput = loadedInput;
        this.loadedTarget = loadedTarget;
        this.ownsLoaded = ownsLoaded;
        this.uploads = uploads;
        this.uploadSources = uploadSources;
    }

    public Tensor Input { get; }
    public Tensor? Target { get; }

    /// <summary>The batch's tensors on <paramref name="device"/>; host-to-CUDA copies are queued, not waited for.</summary>
    public static BatchTensors From(Batch batch, Device device, bool loaderBuiltIt)
    {
        var input = batch.Inputs as Tensor
            ?? throw new ArgumentException($"a training batch's input must be a tensor, got {batch.Inputs?.GetType().Name ?? "null"}; the dataset's samples should be (input, target) pairs of tensors");
        var target = batch.Targets switch
        {
            null => null,
            Tensor t => t,
            var other => throw new ArgumentException($"a training batch's target must be a tensor, got {other.GetType().Name}"),
        };
        var sources = new List<Tensor>(2);
        Tensor? onDeviceInput = null;
        try
        {
            onDeviceInput = Move(input, device, sources);
            var onDeviceTarget = target is null ? null : Move(target, device, sources);
            var fence = sources.Count > 0 ? CudaCopyStream.Fence(device) : null;
            return new BatchTensors(onDeviceInput, onDeviceTarget, input, target, loaderBuiltIt, fence, sources);
        }
        catch
        {
            if (sources.Count > 0) CudaCopyStream.WaitForUploads(device);   // the queued upload may not outlive its memory
            if (!ReferenceEquals(onDeviceInput, input)) onDeviceInput?.Dispose();
            throw;
        }
    }

    /// <summary>The tensor on the device: a CPU tensor bound for CUDA is uploaded on the copy stream (its source kept in <paramref name="sources"/>).</summary>
    static Tensor Move(Tensor loaded, Device device, List<Tensor> sources)
    {
        if (device.Type != DeviceType.Cuda || loaded.IsCuda) return loaded.To(device);
        Tensor source;
        using (Torch.NoGrad()) source = loaded.Contiguous();
        sources.Add(source);
        return CudaCopyStream.Upload(source, device);
    }

    /// <summary>Makes the kernels queued from now on wait (on the device) for this batch's uploads.</summary>
    public void OrderBeforeKernels() => uploads?.OrderBeforeKernels();

    public void Dispose()
    {
        uploads?.Dispose();   // the uploads are complete from here on: their memory and sources may go
        if (!ReferenceEquals(Input, loadedInput)) Input.Dispose();
        if (Target is not null && !ReferenceEquals(Target, loadedTarget)) Target.Dispose();
        foreach (var source in uploadSources)
            if (!ReferenceEquals(source, loadedInput) && !ReferenceEquals(source, loadedTarget)) source.Dispose();
        if (!ownsLoaded) return;
        loadedInput.Dispose();
        loadedTarget?.Dispose();
    }
}
