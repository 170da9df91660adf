using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Invoke-NoGrad / Invoke-EnableGrad: recording off/on for a script block, restored afterwards.</summary>
public class GradModeCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    [Fact]
    public void NoGrad_OutputHasNoGradFnAndModeIsRestored()
    {
        var output = ps.Invoke("$x = New-Tensor -Ones -Shape 2 -RequiresGrad; $y = Invoke-NoGrad { $x * 2 }; $y.RequiresGrad; $null -eq $y.GradFn; ($x * 2).GradFn.Name; [PSTorch.Torch]::IsGradEnabled()");
        Assert.Equal([false, true, "MulBackward0", true], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void NoGrad_PassesAllOutputThrough() =>
        Assert.Equal([1, 2, 3], ps.Invoke("Invoke-NoGrad { 1; 2; 3 }").Select(o => o.BaseObject));

    [Fact]
    public void NoGrad_AssignmentsStayVisibleToTheCaller() =>
        Assert.Equal(false, Assert.Single(ps.Invoke("$x = New-Tensor -Ones -Shape 2 -RequiresGrad; Invoke-NoGrad { $z = $x + 1 }; $z.RequiresGrad")).BaseObject);

    [Fact]
    public void NoGrad_RestoresTheModeWhenTheScriptFails()
    {
        var output = ps.Invoke("try { Invoke-NoGrad { throw 'boom' } } catch { $_.Exception.Message }; [PSTorch.Torch]::IsGradEnabled()");
        Assert.Equal(["boom", true], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void NoGrad_PassesArguments() =>
        Assert.Equal(false, Assert.Single(ps.Invoke("$x = New-Tensor -Ones -Shape 2 -RequiresGrad; (Invoke-NoGrad { param($t) $t.Exp() } $x).RequiresGrad")).BaseObject);

    [Fact]
    public void NoGrad_AllowsInPlaceUpdatesOfLeaves()
    {
        var output = ps.Invoke("$w = New-Tensor -Ones -Shape 2 -RequiresGrad; Invoke-NoGrad { $null = $w.Sub_(0.5) }; $w.ToArray(); $w.IsLeaf");
        Assert.Equal([0.5f, 0.5f, true], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void EnableGrad_RecordsInsideNoGrad()
    {
        var output = ps.Invoke("$x = New-Tensor -Ones -Shape 2 -RequiresGrad; (Invoke-NoGrad { Invoke-EnableGrad { $x * 2 } }).GradFn.Name; [PSTorch.Torch]::IsGradEnabled()");
        Assert.Equal(["MulBackward0", true], output.Select(o => o.BaseObject));
    }
}
