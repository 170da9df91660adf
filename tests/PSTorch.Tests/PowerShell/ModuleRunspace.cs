using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PSTorch.Tests.PowerShell;

/// <summary>A runspace with the built PSTorch module imported from the repository's PSTorch.psd1.</summary>
public sealed class ModuleRunspace : IDisposable
{
    readonly Runspace runspace;

    public ModuleRunspace()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule([ManifestPath()]);
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
    }

    static string ManifestPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var manifest = Path.Combine(dir.FullName, "PSTorch.psd1");
            if (File.Exists(manifest)) return manifest;
        }
        throw new FileNotFoundException("PSTorch.psd1 not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs the script; throws with the errors' text if it wrote any.</summary>
    public Collection<PSObject> Invoke(string script)
    {
        var (output, errors) = InvokeWithErrors(script);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
        return output;
    }

    /// <summary>Runs the script and returns its output and the errors it wrote (a terminating error included).</summary>
    public (Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors) InvokeWithErrors(string script)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        try
        {
            var output = ps.Invoke();
            return (output, ps.Streams.Error.ToList());
        }
        catch (RuntimeException e)
        {
            return ([], [.. ps.Streams.Error, e.ErrorRecord]);
        }
    }

    public void Dispose() => runspace.Dispose();
}
