using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-AutogradFunction: custom autograd functions written as PowerShell script blocks.</summary>
public class AutogradFunctionCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    const string MyExp = @"
        $exp = New-AutogradFunction -Name MyExp -Forward { param($ctx, $x) $y = $x.Exp(); $ctx.SaveForBackward($y); $y } -Backward { param($ctx, $grad) $grad * $ctx.SavedTensors[0] }
    ";

    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void Apply_ComputesForwardAndNamesTheNode()
    {
        var r = Run(MyExp + "$x = New-Tensor 0.0, 1.0 -RequiresGrad; $y = $exp.Apply($x); $y.GradFn.Name; ,$y.ToArray()");
        Assert.Equal("MyExpBackward", r[0]);
        Assert.Equal([1f, MathF.E], (float[])r[1]);
    }

    [Fact]
    public void Backward_RunsTheScriptBlockAndChainsWithBuiltInOps()
    {
        // d/dx sum(exp(x) * 3) = 3 exp(x)
        var r = Run(MyExp + "$x = New-Tensor 0.0, 1.0 -RequiresGrad; ($exp.Apply($x) * 3).Sum().Backward(); ,$x.Grad.ToArray()");
        Assert.Equal([3f, 3 * MathF.E], (float[])r[0]);
    }

    [Fact]
    public void GradCheck_PassesThroughAScriptBlockConvertedToFunc()
    {
        var r = Run(MyExp + @"
            $x = New-Tensor -Randn -Shape 3 -DType float64 -RequiresGrad -Seed 3
            [PSTorch.Torch]::GradCheck([Func[PSTorch.Tensor[], PSTorch.Tensor]] { param($xs) $exp.Apply($xs[0]) }, @($x))");
        Assert.Equal(true, Assert.Single(r));
    }

    [Fact]
    public void GradCheck_FailsForAWrongBackward()
    {
        var r = Run(@"
            $bad = New-AutogradFunction BadExp { param($ctx, $x) $x.Exp() } { param($ctx, $grad) $grad }
            $x = New-Tensor -Randn -Shape 3 -DType float64 -RequiresGrad -Seed 3
            [PSTorch.Torch]::GradCheck([Func[PSTorch.Tensor[], PSTorch.Tensor]] { param($xs) $bad.Apply($xs[0]) }, @($x), 1e-6, 1e-5, 1e-3, $false)");
        Assert.Equal(false, Assert.Single(r));
    }

    [Fact]
    public void TwoInputs_BackwardOutputsOneGradientEachOrNull()
    {
        var r = Run(@"
            $mul = New-AutogradFunction MyMul -Forward { param($ctx, $a, $b) $ctx.SaveForBackward($a, $b); $a * $b } -Backward {
                param($ctx, $grad)
                $a, $b = $ctx.SavedTensors
                $grad * $b
                if ($ctx.NeedsInputGrad[1]) { $grad * $a } else { $null }
            }
            $a = New-Tensor 2.0, 3.0 -RequiresGrad; $b = New-Tensor 5.0, 7.0
            $mul.Apply($a, $b).Sum().Backward()
            ,$a.Grad.ToArray(); $null -eq $b.Grad");
        Assert.Equal([5f, 7f], (float[])r[0]);
        Assert.Equal(true, r[1]);
    }

    [Fact]
    public void Backward_MayOutputTheGradientsAsOneArray()
    {
        var r = Run(@"
            $add = New-AutogradFunction MyAdd { param($ctx, $a, $b) $a + $b } { param($ctx, $grad) ,@($grad, ($grad * 2)) }
            $a = New-Tensor 1.0 -RequiresGrad; $b = New-Tensor 1.0 -RequiresGrad
            $add.Apply($a, $b).Backward()
            $a.Grad.Item(); $b.Grad.Item()");
        Assert.Equal([1.0, 2.0], r);
    }

    [Fact]
    public void Forward_WithStrayOutput_FailsClearly()
    {
        var result = ps.InvokeWithErrors(@"
            $f = New-AutogradFunction Stray { param($ctx, $x) 42; $x * 2 } { param($ctx, $grad) $grad * 2 }
            $f.Apply((New-Tensor 1.0 -RequiresGrad))");
        var message = Assert.Single(result.Errors).Exception.Message;
        Assert.Contains("The -Forward script block of autograd function 'Stray' must output one tensor, but it output 2 objects (Int32, Tensor)", message);
    }

    [Fact]
    public void Forward_ReturningANumber_FailsClearly()
    {
        var result = ps.InvokeWithErrors(@"
            $f = New-AutogradFunction Num { param($ctx, $x) 3.5 } { param($ctx, $grad) $grad }
            $f.Apply((New-Tensor 1.0))");
        Assert.Contains("must output one tensor, but it output System.Double", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void Backward_ReturningANonTensor_FailsClearly()
    {
        var result = ps.InvokeWithErrors(@"
            $f = New-AutogradFunction Str { param($ctx, $x) $x * 2 } { param($ctx, $grad) 'two' }
            $f.Apply((New-Tensor 1.0 -RequiresGrad)).Backward()");
        Assert.Contains("The -Backward script block of autograd function 'Str' must output one tensor or $null per input, but output 0 is System.String",
            Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void Backward_WithTheWrongNumberOfGradients_FailsLikePyTorch()
    {
        var result = ps.InvokeWithErrors(@"
            $f = New-AutogradFunction Two { param($ctx, $x) $x * 2 } { param($ctx, $grad) $grad; $grad }
            $f.Apply((New-Tensor 1.0 -RequiresGrad)).Backward()");
        Assert.Contains("function TwoBackward returned an incorrect number of gradients (expected 1, got 2)", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void ErrorsThrownInTheScriptBlockSurface()
    {
        var result = ps.InvokeWithErrors(@"
            $f = New-AutogradFunction Boom { param($ctx, $x) throw 'boom' } { param($ctx, $grad) $grad }
            $f.Apply((New-Tensor 1.0))");
        Assert.Contains("boom", Assert.Single(result.Errors).Exception.Message);
    }

    [Fact]
    public void NoGrad_OutputHasNoGradFn()
    {
        var r = Run(MyExp + "$x = New-Tensor 1.0 -RequiresGrad; $y = Invoke-NoGrad { $exp.Apply($x) }; $null -eq $y.GradFn; $y.RequiresGrad");
        Assert.Equal([true, false], r);
    }
}
