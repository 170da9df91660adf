using System.Management.Automation;
using PSTorch.Training;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Invoke-Training, Test-Model and Get-Prediction through a runspace, on tiny data (and one short run on the embedded sample).</summary>
[Collection("DefaultGenerator")]
public sealed class TrainingCmdletTests : IClassFixture<ModuleRunspace>, IDisposable
{
    readonly ModuleRunspace ps;
    readonly string folder = Path.Combine(Path.GetTempPath(), "pstorch-traincmd-" + Guid.NewGuid().ToString("N")[..8]);

    // 40 samples of 4 features in 3 classes (the class is the argmax of a fixed projection), and a small MLP.
    const string Setup = """
        $x = New-Tensor -Randn -Shape 40,4 -Seed 5
        $y = $x.MatMul((New-Tensor -Randn -Shape 4,3 -Seed 6)).Argmax(1)
        $data = [PSTorch.Data.TensorDataset]::new([PSTorch.Tensor[]]@($x, $y))
        $train = New-DataLoader $data -BatchSize 8 -Shuffle -Seed 1
        $test = New-DataLoader $data -BatchSize 16
        Set-TorchSeed 3
        $model = New-Sequential (New-Layer Linear 4,16), (New-Layer ReLU), (New-Layer Linear 16,3)
        """;

    public TrainingCmdletTests(ModuleRunspace ps)
    {
        this.ps = ps;
        Directory.CreateDirectory(folder);
        ps.Invoke($"$ExecutionContext.SessionState.Path.SetLocation('{folder}') | Out-Null");   // the engine package has no Set-Location
    }

    public void Dispose()
    {
        ps.Invoke("$ExecutionContext.SessionState.Path.SetLocation('/') | Out-Null");
        Directory.Delete(folder, true);
    }

    object[] Run(string script) => ps.Invoke(Setup + "\n" + script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void RecordsComeOutPerEpochWithTheirProperties()
    {
        var output = ps.Invoke(Setup + "\nInvoke-Training $model $train -ValidationLoader $test -Epochs 3 -Optimizer Adam -LearningRate 0.05 -TopK 2 -Quiet");
        Assert.Equal(3, output.Count);
        var records = output.Select(o => Assert.IsType<EpochRecord>(o.BaseObject)).ToArray();
        Assert.Equal([1, 2, 3], records.Select(r => r.Epoch));
        Assert.All(records, r => Assert.Equal(0.05, r.LearningRate));
        Assert.All(records, r => Assert.InRange(r.ValidationAccuracy!.Value, 0, 1));
        // Extra metrics are properties of the emitted objects, so they export as columns.
        Assert.Equal(records[2].GetMetric("val_top2"), (double)output[2].Properties["ValidationTop2"].Value);
        Assert.Equal(records[2].GetMetric("train_top2"), (double)output[2].Properties["TrainTop2"].Value);
    }

    [Fact]
    public void ProgressShowsEpochsAndBatchesWithLossAndThroughputThenCompletes()
    {
        var result = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Epochs 2 | Out-Null");
        Assert.True(result.Succeeded, result.ErrorText);
        var epochs = result.Progress.Where(r => r.ActivityId == 1 && r.RecordType == ProgressRecordType.Processing).ToArray();
        var batches = result.Progress.Where(r => r.ActivityId == 2 && r.RecordType == ProgressRecordType.Processing).ToArray();
        Assert.All(epochs, r => Assert.Equal("Training", r.Activity));
        // each epoch's last batch is always shown (the ones in between are throttled to 10 a second)
        Assert.Contains(epochs, r => r.StatusDescription == "Epoch 1/2" && r.PercentComplete == 0);
        Assert.Contains(epochs, r => r.StatusDescription == "Epoch 2/2" && r.PercentComplete == 50);
        Assert.All(batches, r => Assert.Equal(1, r.ParentActivityId));
        var last = batches.Single(r => r.Activity == "Epoch 2" && r.PercentComplete == 100);
        Assert.Matches(@"^Batch 5/5  loss \d+\.\d{4}  \d+ samples/s  lr 0\.001$", last.StatusDescription);
        // both bars are closed at the end, the inner one first
        var completed = result.Progress.Where(r => r.RecordType == ProgressRecordType.Completed).Select(r => r.ActivityId).ToArray();
        Assert.Equal([2, 1], completed);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void QuietWritesNoProgress()
    {
        var result = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Epochs 2 -Quiet | Out-Null");
        Assert.True(result.Succeeded, result.ErrorText);
        Assert.Empty(result.Progress);
    }

    [Fact]
    public void RecordsExportToCsv()
    {
        Run("Invoke-Training $model $train -ValidationLoader $test -Epochs 2 -Quiet | Export-Csv history.csv");
        var lines = File.ReadAllLines(Path.Combine(folder, "history.csv"));
        Assert.Equal(3, lines.Length);
        Assert.Equal("\"Epoch\",\"TrainLoss\",\"TrainAccuracy\",\"ValidationLoss\",\"ValidationAccuracy\",\"LearningRate\",\"Seconds\",\"SamplesPerSecond\"", lines[0]);
        Assert.StartsWith("\"2\",", lines[2]);
    }

    [Fact]
    public void PassThruReturnsTheRunInsteadOfRecords()
    {
        var run = Assert.IsType<TrainingRun>(Assert.Single(Run("Invoke-Training $model $train -Epochs 2 -Loss CrossEntropyLoss -Optimizer SGD -LearningRate 0.1 -PassThru -Quiet")));
        Assert.Equal(2, run.History.Count);
        Assert.IsType<global::PSTorch.Optim.SGD>(run.Optimizer);
        Assert.Equal(0.1, run.Optimizer.ParamGroups[0].LearningRate);
        Assert.Equal("train_loss", run.MonitoredMetric);
        Assert.False(run.Interrupted);
    }

    [Fact]
    public void NoArgumentsTrainsTheDefaultClassifierOnTheEmbeddedSample()
    {
        // The README's main job is Invoke-Training with no arguments (5 epochs); one epoch keeps the test short.
        var output = ps.Invoke("Invoke-Training -Epochs 1 -Quiet");
        var record = Assert.IsType<EpochRecord>(Assert.Single(output).BaseObject);
        Assert.True(record.ValidationAccuracy > 0.6, $"validation accuracy {record.ValidationAccuracy} after one epoch");
        Assert.True(record.TrainLoss < 1.5);
        Assert.Equal(1e-3, record.LearningRate);
        // Seeded: a second run gives the same numbers.
        var again = Assert.IsType<EpochRecord>(Assert.Single(ps.Invoke("Invoke-Training -Epochs 1 -Quiet")).BaseObject);
        Assert.Equal(record.TrainLoss, again.TrainLoss);
        Assert.Equal(record.ValidationAccuracy, again.ValidationAccuracy);
    }

    [Fact]
    public void CheckpointPathIsRelativeToTheCurrentLocationAndResumeContinues()
    {
        Run("Invoke-Training $model $train -Epochs 2 -CheckpointPath run.safetensors -SaveBest -Quiet | Out-Null");
        Assert.True(File.Exists(Path.Combine(folder, "run.safetensors")));
        Assert.True(File.Exists(Path.Combine(folder, "run.best.safetensors")));
        var resumed = Run("Invoke-Training $model $train -Epochs 3 -CheckpointPath run.safetensors -Resume -Quiet");
        Assert.Equal([3], resumed.Select(r => ((EpochRecord)r).Epoch));
    }

    [Fact]
    public void BadOptionsAreTerminatingErrorsWithACategory()
    {
        var unknown = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Optimizer Nesterov -Quiet");
        Assert.Equal("InvalidTrainingOptions,PSTorch.Commands.InvokeTrainingCommand", unknown.Errors[^1].FullyQualifiedErrorId);
        Assert.Contains("Unknown optimizer 'Nesterov'", unknown.Errors[^1].Exception.Message);
        var resume = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -Resume -CheckpointPath missing.safetensors -Quiet");
        Assert.Contains("does not exist", resume.Errors[^1].Exception.Message);
        var metric = ps.InvokeWithErrors(Setup + "\nInvoke-Training $model $train -MonitorMetric val_accuracy -Quiet");
        Assert.Equal(ErrorCategory.InvalidArgument, metric.Errors[^1].CategoryInfo.Category);
    }

    [Fact]
    public void EarlyStoppingStopsTheRun()
    {
        var run = Assert.IsType<TrainingRun>(Assert.Single(Run(
            "Invoke-Training $model $train -ValidationLoader $test -Epochs 10 -Optimizer SGD -LearningRate 0 -EarlyStoppingPatience 1 -PassThru -Quiet")));
        Assert.True(run.StoppedEarly);
        Assert.Equal(2, run.History.Count);
    }

    [Fact]
    public void TestModelReportsAccuracyPerClassAccuracyAndTheConfusionMatrix()
    {
        var result = Assert.IsType<EvaluationResult>(Assert.Single(Run("Test-Model $model $test -TopK 2 -ClassNames a, b, c")));
        Assert.Equal(40, result.Samples);
        Assert.NotNull(result.Loss);
        Assert.InRange(result.TopKAccuracy[2], result.Accuracy!.Value, 1);
        var matrix = result.ConfusionMatrix!;
        Assert.Equal(["a", "b", "c"], matrix.ClassNames);
        Assert.Equal(40, Enumerable.Range(0, 3).Sum(matrix.Support));
        Assert.Equal(Enumerable.Range(0, 3).Sum(i => matrix[i, i]) / 40.0, result.Accuracy!.Value, 12);
    }

    [Fact]
    public void GetPredictionTakesSamplesBatchesAndImageFiles()
    {
        var fromBatch = Run("$x | Get-Prediction $model -ClassNames a, b, c");
        Assert.Equal(40, fromBatch.Length);
        var first = Assert.IsType<Prediction>(fromBatch[0]);
        Assert.Equal(0, first.Input);
        Assert.Contains(first.ClassName, new[] { "a", "b", "c" });
        Assert.InRange(first.Probability, 1.0 / 3, 1);

        var one = Assert.IsType<Prediction>(Assert.Single(Run("Get-Prediction $model $x.Index(0)")));
        Assert.Equal(first.ClassIndex, one.ClassIndex);
        Assert.Equal(first.Probability, one.Probability, 6);

        // PNG files through the pipeline: a 2x2 grayscale image is 4 features for the model after ToTensor + Flatten.
        ps.Invoke("""
            foreach ($level in 0, 255) {
                $image = [PSTorch.Vision.Image]::Create(2, 2, 1, $level)
                $image.Save((Join-Path $PWD "gray$level.png")); $image.Dispose()
            }
            """);
        var files = Run("""
            $flat = New-Sequential (New-Layer Flatten), $model
            'gray0.png', 'gray255.png' | ForEach-Object { [System.IO.FileInfo]::new((Join-Path $PWD $_)) } | Get-Prediction $flat -Transform (New-Transform -Grayscale 1 -ToTensor)
            """).Cast<Prediction>().ToArray();
        Assert.Equal(["gray0.png", "gray255.png"], files.Select(p => Path.GetFileName((string)p.Input)));
        var relative = Assert.IsType<Prediction>(Assert.Single(Run("'gray255.png' | Get-Prediction (New-Sequential (New-Layer Flatten), $model) -Transform (New-Transform -Grayscale 1 -ToTensor)")));
        Assert.Equal(files[1].ClassIndex, relative.ClassIndex);
        Assert.Equal(Path.Combine(folder, "gray255.png"), relative.Input);

        var broken = ps.InvokeWithErrors("[System.IO.File]::WriteAllText((Join-Path $PWD 'broken.png'), 'not an image'); 'broken.png', 'gray0.png' | Get-Prediction (New-Sequential (New-Layer Flatten), (New-Layer Linear 4,3)) -Transform (New-Transform -Grayscale 1 -ToTensor)");
        Assert.Single(broken.Output);
        Assert.Equal("PredictionFailed,PSTorch.Commands.GetPredictionCommand", Assert.Single(broken.Errors).FullyQualifiedErrorId);
    }
}
