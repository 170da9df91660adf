using System.Collections.ObjectModel;
using System.Management.Automation;

namespace PSTorch.Tests.PowerShell;

/// <summary>What a script produced: its output, every error (the terminating one included) and its progress records.</summary>
public sealed record ScriptResult(Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors)
{
    public IReadOnlyList<ProgressRecord> Progress { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;

    /// <summary>Each error as pwsh would name it: message, error id, and where in the script.</summary>
    public string ErrorText => string.Join(Environment.NewLine, Errors.Select(Describe));

    public static string Describe(ErrorRecord error)
    {
        var position = error.InvocationInfo?.PositionMessage;
        return string.IsNullOrEmpty(position)
            ? $"{error} [{error.FullyQualifiedErrorId}]"
            : $"{error} [{error.FullyQualifiedErrorId}]{Environment.NewLine}{position}";
    }
}
