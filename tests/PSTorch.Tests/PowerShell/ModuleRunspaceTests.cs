using System.Management.Automation;

namespace PSTorch.Tests.PowerShell;

public sealed class ModuleRunspaceTests(ModuleRunspace runspace) : IClassFixture<ModuleRunspace>
{
    [Fact]
    public void ModuleIsImportedFromTheManifest()
    {
        var module = Assert.Single(runspace.Invoke("Get-Module PSTorch"));

        var info = Assert.IsType<PSModuleInfo>(module.BaseObject);
        Assert.Equal(new Version(0, 1, 0), info.Version);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "module", "PSTorch.dll"), info.Path);
        Assert.StartsWith("PyTorch's way of working", info.Description);
    }

    [Fact]
    public void InvokeReturnsOutput() =>
        Assert.Equal([2, 4, 6], runspace.Invoke("1..3 | ForEach-Object { $_ * 2 }").Select(o => (int)o.BaseObject));

    [Fact]
    public void InvokePassesVariables() =>
        Assert.Equal("hello", runspace.Invoke("$greeting", new Dictionary<string, object?> { ["greeting"] = "hello" }).Single().BaseObject);

    [Fact]
    public void InvokeThrowsWithTheErrorTextOnNonTerminatingErrors()
    {
        var failure = Assert.Throws<ScriptFailedException>(() => runspace.Invoke("Get-Command No-SuchCommand; 'still ran'"));

        Assert.Contains("No-SuchCommand", failure.Message);
        Assert.Contains("CommandNotFoundException", failure.Message);
        Assert.Equal("still ran", failure.Result.Output.Single().BaseObject);
    }

    [Fact]
    public void InvokeWithErrorsReturnsTheTerminatingErrorAndEarlierOutput()
    {
        var result = runspace.InvokeWithErrors("'before'\nthrow 'stop here'");

        Assert.False(result.Succeeded);
        Assert.Equal("before", result.Output.Single().BaseObject);
        Assert.Equal("stop here", Assert.Single(result.Errors).Exception.Message);
        Assert.Contains("line:2", result.ErrorText);
    }

    [Fact]
    public void HostStandInsForUtilityCmdletsAreAvailable() =>
        Assert.Equal([1, 2], runspace.Invoke("Write-Output 1 2 3 | Select-Object -First 2").Select(o => (int)o.BaseObject));
}
