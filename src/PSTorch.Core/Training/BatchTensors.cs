using PSTorch.Data;

namespace PSTorch.Training;

/// <summary>
/// A batch's input and target on the training device. <see cref="Dispose"/> releases what this step owns: the copies
/// made for the device, and the loader's own tensors when the loader builds every batch anew.
/// </summary>
internal readonly struct BatchTensors : IDisposable
{
    readonly Tensor loadedInput;
    readonly Tensor? loadedTarget;
    readonly bool ownsLoaded;

    BatchTensors(Tensor input, Tensor? target, Tensor loadedInput, Tensor? loadedTarget, bool ownsLoaded)
    {
        Input = input;
        Target = target;
        this.loadedInput = loadedInput;
        this.loadedTarget = loadedTarget;
        this.ownsLoaded = ownsLoaded;
    }

    public Tensor Input { get; }
    public Tensor? Target { get; }

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
        return new BatchTensors(input.To(device), target?.To(device), input, target, loaderBuiltIt);
    }

    public void Dispose()
    {
        Release(Input, loadedInput);
        if (Target is not null) Release(Target, loadedTarget!);
    }

    void Release(Tensor onDevice, Tensor loaded)
    {
        if (!ReferenceEquals(onDevice, loaded)) onDevice.Dispose();
        if (ownsLoaded) loaded.Dispose();
    }
}
