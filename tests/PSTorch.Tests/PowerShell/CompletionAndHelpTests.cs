using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Tab completion through TabExpansion2 and Get-Help from the MAML file, as a user meets them.</summary>
public class CompletionAndHelpTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    string[] Complete(string line) =>
        ps.Invoke($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText").Select(o => (string)o.BaseObject).ToArray();

    [Fact]
    public void DType_CompletesEngineNames()
    {
        Assert.Equal(["float16", "float32", "float64"], Complete("New-Tensor 1 -DType fl"));
        Assert.Equal(DTypes.Names, Complete("New-Tensor 1 -DType "));
    }

    [Fact]
    public void DType_CompletesTorchStyleNames() =>
        Assert.Equal(["torch.int8", "torch.int16", "torch.int32", "torch.int64"], Complete("New-Tensor 1 -DType torch.int"));

    [Fact]
    public void Device_Completes()
    {
        Assert.Equal(["cpu", "cuda", "cuda:0"], Complete("New-Tensor -Zeros 2 -Device c"));
        Assert.Equal(["cuda", "cuda:0"], Complete("New-Tensor -Zeros 2 -Device cu"));
    }

    [Fact]
    public void EveryExportedCmdlet_HasASynopsisAtLeastTwoExamplesAndDocumentedParameters()
    {
        var names = ps.Invoke("(Get-Command -Module PSTorch).Name").Select(o => (string)o.BaseObject).ToArray();
        Assert.Superset(new HashSet<string>(["New-Tensor", "Invoke-NoGrad", "Invoke-EnableGrad", "Set-TorchSeed"]), names.ToHashSet());
        foreach (var name in names)
        {
            var synopsis = (string)Assert.Single(ps.Invoke($"(Get-Help {name}).Synopsis")).BaseObject;
            Assert.False(synopsis.Contains(name + " ") || synopsis.Length < 20, $"{name} has no help synopsis: {synopsis}");  // without help, Synopsis is the syntax
            var examples = ps.Invoke($"(Get-Help {name} -Examples).examples.example.code");
            Assert.True(examples.Count >= 2, $"{name} has {examples.Count} examples");
            var undocumented = ps.Invoke($@"
                $common = [System.Management.Automation.Cmdlet]::CommonParameters
                $documented = (Get-Help {name}).parameters.parameter | Where-Object {{ $_.description.Text }} | ForEach-Object {{ $_.name }}
                (Get-Command {name}).Parameters.Keys | Where-Object {{ $common -notcontains $_ -and $documented -notcontains $_ }}");
            Assert.True(undocumented.Count == 0, $"{name}: undocumented parameters {string.Join(", ", undocumented)}");
        }
    }

    [Fact]
    public void NewTensorExamples_ShowPipelineAndFactories()
    {
        var codes = ps.Invoke("(Get-Help New-Tensor -Examples).examples.example.code").Select(o => (string)o.BaseObject).ToArray();
        Assert.Contains("1..6 | New-Tensor", codes);
        Assert.Contains("New-Tensor 1,2,3", codes);
    }
}
