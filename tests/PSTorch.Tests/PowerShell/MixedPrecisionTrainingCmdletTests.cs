using System.Management.Automation;
using PSTorch.Training;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Invoke-Training -MixedPrecision / -AutocastDType through a runspace.</summary>
[Collection("DefaultGenerator")]
public sealed class MixedPrecisionTrainingCmdletTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    // 40 samples of 4 features in 3 classes (the class is the argmax of a fixed projection), and a small MLP.
    const string Setup = """
        $x = New-Tensor -Randn -Shape 40,4 -Seed 5
        $y = $x.MatMul((New-Tensor -Randn -Shape 4,3 -Seed 6)).Argmax(1)
        $data = [PSTorch.Data.TensorDataset]::new([PSTorch.Tensor[]]@($x, $y))
        $train = New-DataLoader $data -BatchSize 8 -Shuffle -Seed 1
        Set-TorchSeed 3
        $model = New-Sequential (New-Layer Linear 4,16), (New-Layer ReLU), (New-Layer Linear 16,3)
        """;

    [Fact]
    public void MixedPrecisionTrainsAndKeepsTheParametersFloat32()
    {
        var output = ps.Invoke(Setup + """

            $run = Invoke-Training $model $train -Epochs 4 -LearningRate 0.05 -MixedPrecision -PassThru -Quiet
            $run
            $model.Parameters() | ForEach-Object { $_.DType }
            $model.Call($x).DType
            Invoke-Autocast -Device cpu { $model.Call($x).DType }
            """);
        var run = Assert.IsType<TrainingRun>(output[0].BaseObject);
        Assert.True(run.History[^1].TrainLoss < run.History[0].TrainLoss, "the training loss should fall");
        Assert.Equal(Enumerable.Repeat(DType.Float32, 4), output.Skip(1).Take(4).Select(o => (DType)o.BaseObject));
        Assert.Equal(DType.Float32, output[5].BaseObject);   // autocast is off again after training
        Assert.Equal(DType.BFloat16, output[6].BaseObject);
    }

    [Fact]
    public void Float16ProgressShowsTheLossScale_BFloat16ProgressDoesNot()
    {
        var float16 = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Epochs 1 -MixedPrecision -AutocastDType float16 | Out-Null");
        Assert.True(float16.Succeeded, float16.ErrorText);
        var last = float16.Progress.Single(r => r.ActivityId == 2 && r.PercentComplete == 100 && r.RecordType == ProgressRecordType.Processing);
        Assert.Matches(@"^Batch 5/5  loss \d+\.\d{4}  \d+ samples/s  lr 0\.001  scale 65536$", last.StatusDescription);

        var bfloat16 = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Epochs 1 -MixedPrecision | Out-Null");
        Assert.True(bfloat16.Succeeded, bfloat16.ErrorText);
        Assert.DoesNotContain(bfloat16.Progress, r => r.StatusDescription.Contains("scale"));
    }

    [Fact]
    public void AutocastDTypeNeedsMixedPrecisionAndALowerPrecision()
    {
        var alone = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -AutocastDType float16 -Quiet");
        Assert.Equal("InvalidTrainingOptions,PSTorch.Commands.InvokeTrainingCommand", alone.Errors[^1].FullyQualifiedErrorId);
        Assert.Equal("-AutocastDType is the precision of -MixedPrecision: add -MixedPrecision", alone.Errors[^1].Exception.Message);
        var float32 = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -MixedPrecision -AutocastDType float32 -Quiet");
        Assert.Equal("mixed precision runs in bfloat16 or float16, got torch.float32", float32.Errors[^1].Exception.Message);
        Assert.Equal(ErrorCategory.InvalidArgument, float32.Errors[^1].CategoryInfo.Category);
    }
}
