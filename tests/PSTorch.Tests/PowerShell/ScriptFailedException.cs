namespace PSTorch.Tests.PowerShell;

/// <summary>A script run by <see cref="ModuleRunspace.Invoke"/> reported errors; the message lists them.</summary>
public sealed class ScriptFailedException(string script, ScriptResult result)
    : Exception($"The script reported {result.Errors.Count} error(s):{Environment.NewLine}{result.ErrorText}{Environment.NewLine}Script:{Environment.NewLine}{script}")
{
    public ScriptResult Result { get; } = result;
}
