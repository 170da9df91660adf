using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSTorch.Host.Polyfills;

namespace PSTorch.Tests.PowerShell;

/// <summary>
/// A PowerShell runspace with PSTorch imported from its manifest (formats and types included), for
/// driving cmdlets from tests. Use it as an xunit class fixture; variables set by one script stay
/// for the next in the same runspace. The engine package alone has only the core cmdlets, so the
/// pstorch host's stand-ins for Write-Output, Select-Object and the like are added too.
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace()
    {
        if (!File.Exists(ManifestPath))
            throw new FileNotFoundException("PSTorch.psd1 is missing from the test output; the build lays it out there.", ManifestPath);
        var state = InitialSessionState.CreateDefault2();
        PolyfillCatalog.AddMissing(state);
        state.ImportPSModule([ManifestPath]);
        state.ThrowOnRunspaceOpenError = true;
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>The manifest the build copied beside the test binaries, with module/ next to it.</summary>
    public static string ManifestPath => Path.Combine(AppContext.BaseDirectory, "PSTorch.psd1");

    /// <summary>Runs the script and returns its output; throws <see cref="ScriptFailedException"/> listing the errors if it had any.</summary>
    public Collection<PSObject> Invoke(string script, IDictionary<string, object?>? variables = null)
    {
        var result = InvokeWithErrors(script, variables);
        return result.Succeeded ? result.Output : throw new ScriptFailedException(script, result);
    }

    /// <summary>Runs the script and returns output, errors and progress; a terminating error ends the script and is the last error.</summary>
    public ScriptResult InvokeWithErrors(string script, IDictionary<string, object?>? variables = null)
    {
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            _runspace.SessionStateProxy.SetVariable(name, value);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = new Collection<PSObject>();
        var errors = new List<ErrorRecord>();
        try
        {
            ps.Invoke(input: null, output);
        }
        catch (RuntimeException terminating)
        {
            errors.Add(terminating.ErrorRecord);
        }
        errors.InsertRange(0, ps.Streams.Error);
        return new ScriptResult(output, errors) { Progress = ps.Streams.Progress.ToList() };
    }

    public void Dispose() => _runspace.Dispose();
}
