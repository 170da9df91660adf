using System.Management.Automation;
using PSTorch.IO;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Save-Checkpoint, Import-Checkpoint, Save-Tensor and Import-Tensor as a user runs them, in a PowerShell runspace.</summary>
[Collection("DefaultGenerator")]
public sealed class CheckpointCmdletTests : IClassFixture<ModuleRunspace>, IDisposable
{
    readonly ModuleRunspace ps;
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-ckpt-ps-").FullName;

    public CheckpointCmdletTests(ModuleRunspace ps)
    {
        this.ps = ps;
        ps.Invoke("$ExecutionContext.SessionState.Path.SetLocation($ckptDir) | Out-Null; Set-TorchSeed 1; " +
                  "$model = New-Sequential { New-Layer Linear 3,4; New-Layer ReLU; New-Layer Linear 4,2 }; " +
                  "$opt = New-Optimizer SGD $model -LearningRate 0.1 -Momentum 0.9",
            new Dictionary<string, object?> { ["ckptDir"] = dir });
    }

    public void Dispose()
    {
        ps.Invoke("$ExecutionContext.SessionState.Path.SetLocation([System.IO.Path]::GetTempPath()) | Out-Null");
        Directory.Delete(dir, recursive: true);
    }

    string PathOf(string name) => Path.Combine(dir, name);

    ErrorRecord ErrorOf(string script)
    {
        var result = ps.InvokeWithErrors(script);
        Assert.False(result.Succeeded, $"expected an error from: {script}");
        return result.Errors[^1];
    }

    [Fact]
    public void SaveCheckpointResolvesThePathAgainstThePowerShellLocation()
    {
        Assert.NotEqual(dir, Environment.CurrentDirectory);
        ps.Invoke("Save-Checkpoint relative.safetensors $model -Optimizer $opt -Epoch 4 -Metadata @{ loss = 0.5; note = 'first' }");
        var saved = Checkpoint.Load(PathOf("relative.safetensors"));
        Assert.Equal(4, saved.Epoch);
        Assert.Equal("0.5", saved.Metadata["loss"]);
        Assert.Equal("first", saved.Metadata["note"]);
        Assert.Equal("SGD", saved.OptimizerType);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "relative.safetensors")));
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        var output = ps.Invoke("Save-Checkpoint whatif.safetensors $model -WhatIf; Save-Tensor whatif2.safetensors (New-Tensor 1,2) -WhatIf");
        Assert.Empty(output);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void AnExistingFileIsAnErrorWithoutForceAndIsLeftAlone()
    {
        File.WriteAllText(PathOf("taken.safetensors"), "precious");
        var error = ErrorOf("Save-Checkpoint taken.safetensors $model");
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(PathOf("taken.safetensors"), error.TargetObject);
        Assert.Contains("already exists; use -Force to overwrite it", error.Exception.Message);
        Assert.Equal("precious", File.ReadAllText(PathOf("taken.safetensors")));

        var tensorError = ErrorOf("Save-Tensor taken.safetensors (New-Tensor 1,2)");
        Assert.Equal(ErrorCategory.ResourceExists, tensorError.CategoryInfo.Category);
        Assert.Equal("precious", File.ReadAllText(PathOf("taken.safetensors")));

        var checkpoint = (Checkpoint)Assert.Single(ps.Invoke("Save-Checkpoint taken.safetensors $model -Epoch 2 -Force -PassThru")).BaseObject;
        Assert.Equal(2, checkpoint.Epoch);
        Assert.Equal(PathOf("taken.safetensors"), checkpoint.Path);
        Assert.Equal(2, Checkpoint.Load(PathOf("taken.safetensors")).Epoch);
    }

    [Fact]
    public void ImportCheckpointRestoresModelAndOptimizer()
    {
        ps.Invoke("$null = $model.Call((New-Tensor -Ones -Shape 2,3)).Sum().Backward(); $opt.Step(); Save-Checkpoint one.safetensors $model -Optimizer $opt -Epoch 1");
        var output = ps.Invoke(@"
            Set-TorchSeed 7
            $fresh = New-Sequential { New-Layer Linear 3,4; New-Layer ReLU; New-Layer Linear 4,2 }
            $freshOpt = New-Optimizer SGD $fresh -LearningRate 0.5 -Momentum 0.9
            $ckpt = Import-Checkpoint one.safetensors -Model $fresh -Optimizer $freshOpt
            $ckpt.Epoch
            ($fresh.StateDict()['0.weight'].ToArray[float]() -join ',') -eq ($model.StateDict()['0.weight'].ToArray[float]() -join ',')
            $freshOpt.ParamGroups[0].LearningRate
            $ckpt.MissingKeys.Count");
        Assert.Equal(new object[] { 1L, true, 0.1, 0 }, output.Select(o => o.BaseObject));
    }

    [Fact]
    public void ImportCheckpointWithoutAModelReturnsTheCheckpoint()
    {
        ps.Invoke("Save-Checkpoint plain.safetensors $model -Epoch 3");
        var checkpoint = (Checkpoint)Assert.Single(ps.Invoke("Import-Checkpoint plain.safetensors")).BaseObject;
        Assert.Equal(3, checkpoint.Epoch);
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], checkpoint.Model.Keys);

        // the engine package has no Out-String: the view is checked by its columns and its script column's value
        var view = System.Xml.Linq.XDocument.Load(Path.Combine(Path.GetDirectoryName(ModuleRunspace.ManifestPath)!, "module", "PSTorch.format.ps1xml"))
            .Descendants("View").Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "PSTorch.IO.Checkpoint");
        Assert.Equal(["Epoch", "Tensors", "Optimizer", "Scheduler", "Metadata", "Path"], view.Descendants("TableColumnHeader").Select(h => h.Value));
        Assert.Equal(["Epoch", "TensorCount", "OptimizerType", "SchedulerType", "Path"], view.Descendants("PropertyName").Select(p => p.Value));
        var metadataColumn = view.Descendants("ScriptBlock").Single().Value;
        ps.Invoke("Save-Checkpoint meta.safetensors $model -Metadata ([ordered]@{ loss = 1; acc = 2 })");
        Assert.Equal("loss, acc", Assert.Single(ps.Invoke($"$_ = Import-Checkpoint meta.safetensors; {metadataColumn}")).BaseObject);
    }

    [Fact]
    public void ImportIntoAnotherArchitectureIsAnErrorOrWithNonStrictAWarning()
    {
        ps.Invoke("Save-Checkpoint arch.safetensors $model");
        var error = ErrorOf("$deeper = New-Sequential { New-Layer Linear 3,4; New-Layer ReLU; New-Layer Linear 4,2; New-Layer Linear 2,2 }; Import-Checkpoint arch.safetensors -Model $deeper");
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("Missing key(s) in state_dict: \"3.weight\", \"3.bias\"", error.Exception.Message);

        var result = ps.InvokeWithErrors("$r = Import-Checkpoint arch.safetensors -Model $deeper -NonStrict -WarningVariable w -WarningAction SilentlyContinue; $r.MissingKeys -join ','; $w.Count");
        Assert.True(result.Succeeded, result.ErrorText);
        Assert.Equal(new object[] { "3.weight,3.bias", 1 }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void ImportErrorsSayWhatIsWrongWithTheFile()
    {
        var missing = ErrorOf("Import-Checkpoint nothing.safetensors");
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Equal(PathOf("nothing.safetensors"), missing.TargetObject);

        File.WriteAllBytes(PathOf("short.safetensors"), [1, 2, 3]);
        var corrupt = ErrorOf("Import-Checkpoint short.safetensors");
        Assert.Equal(ErrorCategory.InvalidData, corrupt.CategoryInfo.Category);
        Assert.Equal(PathOf("short.safetensors"), corrupt.TargetObject);
        Assert.Contains("truncated", corrupt.Exception.Message);
        Assert.Equal(ErrorCategory.InvalidData, ErrorOf("Import-Tensor short.safetensors").CategoryInfo.Category);
        Assert.Equal(ErrorCategory.ObjectNotFound, ErrorOf("Import-Tensor nothing.safetensors").CategoryInfo.Category);
        Assert.Equal(ErrorCategory.InvalidArgument, ErrorOf("Import-Tensor short.safetensors -Device gpu7").CategoryInfo.Category);
    }

    [Fact]
    public void SaveTensorAndImportTensorKeepTheShapeOfWhatWasSaved()
    {
        var output = ps.Invoke(@"
            $t = (New-Tensor 0,1,2,3,4,5).View(2, 3)
            Save-Tensor one.safetensors $t
            $back = Import-Tensor one.safetensors
            $back.GetType().Name
            $back.ShapeText
            New-Tensor 1,2 | Save-Tensor piped1.safetensors
            (Import-Tensor piped1.safetensors).GetType().Name
            $single = Import-Tensor piped1.safetensors
            $single.GetType().Name
            (New-Tensor 1,2), (New-Tensor 3), (New-Tensor 4.5,5.5,6.5) | Save-Tensor piped3.safetensors
            $list = Import-Tensor piped3.safetensors
            $list.Count
            $list[2].ToArray[float]() -join ','
            Save-Tensor dict.safetensors ([ordered]@{ zeta = (New-Tensor 1); alpha = (New-Tensor 2.5,3.5) })
            $d = Import-Tensor dict.safetensors
            $d.GetType().Name
            $d.Keys -join ','
            $d['alpha'].ToArray[float]() -join ','
            Save-Tensor sd.safetensors $model.StateDict()
            $model.LoadStateDict((Import-Tensor sd.safetensors)).MissingKeys.Count");
        Assert.Equal(new object[] { "Tensor", "[2, 3]", "Tensor[]", "Tensor[]", 3, "4.5,5.5,6.5", "StateDict", "zeta,alpha", "2.5,3.5", 0 }, output.Select(o => o.BaseObject));
    }

    [Fact]
    public void SaveTensorRefusesWhatIsNotTensors()
    {
        var error = ErrorOf("Save-Tensor bad.safetensors 'text'");
        Assert.Equal(ErrorCategory.InvalidType, error.CategoryInfo.Category);
        Assert.Contains("a tensor, a list of tensors or a dictionary of tensors", error.Exception.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void DeviceCompletesOnTheImportCmdlets()
    {
        foreach (var command in new[] { "Import-Checkpoint x -Device c", "Import-Tensor x -Device c" })
        {
            var completions = ps.Invoke($"(TabExpansion2 -inputScript '{command}' -cursorColumn {command.Length}).CompletionMatches.CompletionText").Select(o => o.BaseObject);
            Assert.Equal(["cpu", "cuda", "cuda:0"], completions);
        }
    }
}
