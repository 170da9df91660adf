using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Invoke-Autocast: torch.autocast for a script block, restored afterwards; GradScaler from a script.</summary>
public class AutocastCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    const string Setup = "$a = New-Tensor -Randn -Shape 3,4 -Seed 1; $b = New-Tensor -Randn -Shape 4,2 -Seed 2; ";

    [Fact]
    public void MatMulInside_IsBFloat16_AndTheStateIsRestored()
    {
        var output = ps.Invoke(Setup + "(Invoke-Autocast -Device cpu { $a.MatMul($b) }).DType; $a.MatMul($b).DType; [PSTorch.Torch]::IsAutocastEnabled('cpu')");
        Assert.Equal([DType.BFloat16, DType.Float32, false], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void DTypeAndDisable_AreHonoured()
    {
        var output = ps.Invoke(Setup + "Invoke-Autocast -Device cpu -DType float16 { $a.MatMul($b).DType; Invoke-Autocast -Device cpu -Disable { $a.MatMul($b).DType } }");
        Assert.Equal([DType.Float16, DType.Float32], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void AssignmentsAndArguments_WorkLikeInvokeNoGrad()
    {
        var output = ps.Invoke(Setup + "Invoke-Autocast -Device cpu { $z = $a.MatMul($b) }; $z.DType; (Invoke-Autocast -Device cpu { param($t) $t.MatMul($b) } $a).DType");
        Assert.Equal([DType.BFloat16, DType.BFloat16], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void TheStateIsRestoredWhenTheScriptFails()
    {
        var output = ps.Invoke("try { Invoke-Autocast -Device cpu { throw 'boom' } } catch { $_.Exception.Message }; [PSTorch.Torch]::IsAutocastEnabled('cpu')");
        Assert.Equal(["boom", false], output.Select(o => o.BaseObject));
    }

    [Fact]
    public void UnsupportedDTypeOrDevice_IsATerminatingInvalidArgumentError()
    {
        var result = ps.InvokeWithErrors("Invoke-Autocast -Device cpu -DType float64 { 1 }");
        var error = Assert.Single(result.Errors);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("CPU Autocast only supports", error.Exception.Message);
        Assert.Empty(result.Output);
        Assert.Equal("InvalidDevice", Assert.Single(ps.InvokeWithErrors("Invoke-Autocast -Device tpu { 1 }").Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void DeviceAndDType_TabComplete()
    {
        string[] Complete(string line) =>
            ps.Invoke($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText").Select(o => (string)o.BaseObject).ToArray();
        Assert.Equal(["cpu", "cuda", "cuda:0"], Complete("Invoke-Autocast -Device c"));
        Assert.Equal(["bfloat16"], Complete("Invoke-Autocast -Device cpu -DType bf"));
    }

    [Fact]
    public void GradScaler_TrainsAStepFromAScript()
    {
        var output = ps.Invoke(@"
            $layer = New-Layer Linear 3,2
            $opt = New-Optimizer SGD $layer.Parameters() -Lr 0.1
            $x = New-Tensor -Randn -Shape 4,3 -Seed 3
            $scaler = [PSTorch.Amp.GradScaler]::new('cpu')
            $loss = Invoke-Autocast -Device cpu { $layer.Call($x).Sum() }
            $scaler.Scale($loss).Backward()
            $layer.Weight.Grad.DType
            $scaler.Step($opt)
            $scaler.Update()
            $scaler.GetScale()");
        Assert.Equal([DType.Float32, true, 65536.0], output.Select(o => o.BaseObject));
    }
}
