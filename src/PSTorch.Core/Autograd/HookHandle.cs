namespace PSTorch.Autograd;

/// <summary>What registering a hook returns (PyTorch's RemovableHandle): disposing it removes the hook.</summary>
internal sealed class HookHandle(Action remove) : IDisposable
{
    public void Dispose() => remove();
}
