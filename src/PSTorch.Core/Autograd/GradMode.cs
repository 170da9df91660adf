namespace PSTorch.Autograd;

/// <summary>Whether ops record the graph (torch.is_grad_enabled), per thread.</summary>
public static class GradMode
{
    [ThreadStatic] static bool disabled;

    public static bool IsEnabled => !disabled;

    /// <summary>Sets the mode for this thread; returns a scope that restores the previous mode when disposed.</summary>
    public static GradModeScope Set(bool enabled)
    {
        var scope = new GradModeScope(!disabled);
        disabled = !enabled;
        return scope;
    }

    internal static void Restore(bool enabled) => disabled = !enabled;
}

/// <summary>Restores the previous grad mode on Dispose: <c>using (Torch.NoGrad()) { ... }</c>.</summary>
public readonly struct GradModeScope : IDisposable
{
    readonly bool previous;
    internal GradModeScope(bool previous) => this.previous = previous;
    public void Dispose() => GradMode.Restore(previous);
}
