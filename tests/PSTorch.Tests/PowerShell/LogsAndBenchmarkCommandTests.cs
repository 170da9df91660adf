using System.Management.Automation;
using System.Xml.Linq;
using PSTorch.Tests.IO;
using SkiaSharp;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Write-TensorBoard, Export-TrainingPlot and Measure-Op driven through a runspace that imports the module.</summary>
// Torch.SetNumThreads is process-wide: classes that change it (Measure-Op -Threads) run one at a time.
[Collection("NumThreads")]
public sealed class LogsAndBenchmarkCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>, IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pstorch-logs-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    List<object> Run(string script, params (string Name, object Value)[] variables) =>
        ps.Invoke(script, variables.Append((Name: "dir", Value: (object)dir)).ToDictionary(v => v.Name, v => (object?)v.Value)).Select(o => o.BaseObject).ToList();

    ScriptResult RunWithErrors(string script) => ps.InvokeWithErrors(script, new Dictionary<string, object?> { ["dir"] = dir });

    string EventFile(string logDir) => Assert.Single(Directory.GetFiles(Path.Combine(dir, logDir), "events.out.tfevents.*"));

    /// <summary>(tag, step, value) of every scalar in the folder's event file, read by the independent reader.</summary>
    List<(string Tag, long Step, float Value)> Scalars(string logDir) =>
        EventFileReader.ReadEvents(EventFile(logDir)).SelectMany(e => e.Values.Where(v => v.SimpleValue is not null).Select(v => (v.Tag, e.Step, v.SimpleValue!.Value))).ToList();

    /// <summary>Epoch records as Invoke-Training emits them (by property name; the trainer's record type is not needed).</summary>
    const string History = """
        $history = 1..3 | ForEach-Object {
            [pscustomobject]@{ Epoch = $_; TrainLoss = 1.0 / $_; TrainAccuracy = 0.5 + 0.1 * $_; ValidationLoss = 1.5 / $_;
                               ValidationAccuracy = 0.4 + 0.1 * $_; LearningRate = 0.001; Seconds = 2.5; Note = 'text' }
        }
        """;

    [Fact]
    public void Scalar_IsReadableAtOnceAndAppendsToOneFilePerFolder()
    {
        Run("$ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null; Write-TensorBoard -LogDir runs/a -Tag loss -Value 0.5 -Step 1");
        Assert.Equal([("loss", 1L, 0.5f)], Scalars("runs/a")); // flushed: readable while the writer stays open
        Run("$ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null; Write-TensorBoard runs/a -Tag loss -Value 0.25 -Step 2");
        Assert.Equal([("loss", 1L, 0.5f), ("loss", 2L, 0.25f)], Scalars("runs/a"));
        Assert.Equal("brain.Event:2", EventFileReader.ReadEvents(EventFile("runs/a"))[0].FileVersion);
    }

    [Fact]
    public void PipelineRecords_WriteEveryNumericPropertyAtTheirEpoch_AndPassThrough()
    {
        var output = Run(History + "; $history | Write-TensorBoard -LogDir (Join-Path $dir run) -PassThru | ForEach-Object { $_.Epoch }");
        Assert.Equal([1, 2, 3], output);
        var scalars = Scalars("run");
        Assert.Equal(3 * 6, scalars.Count); // Epoch is the step, Note is not a number
        Assert.Equal(["TrainLoss", "TrainAccuracy", "ValidationLoss", "ValidationAccuracy", "LearningRate", "Seconds"],
            scalars.Where(s => s.Step == 1).Select(s => s.Tag));
        Assert.Equal((float)(1.5 / 3), scalars.Single(s => s.Tag == "ValidationLoss" && s.Step == 3).Value);
    }

    [Fact]
    public void PipelineRecords_WithPropertyAndTag_AndTheRunningIndexAsStep()
    {
        Run("@{ loss = 3; acc = 0.1 }, @{ loss = 2; acc = '0.2' } | Write-TensorBoard (Join-Path $dir idx) -Tag train -Property loss, acc");
        Assert.Equal([("train/loss", 0L, 3f), ("train/acc", 0L, 0.1f), ("train/loss", 1L, 2f), ("train/acc", 1L, 0.2f)], Scalars("idx"));
    }

    [Fact]
    public void PipelineRecords_ExportCsvAfterPassThru()
    {
        var csv = Path.Combine(dir, "history.csv");
        Run(History + "; $history | Write-TensorBoard -LogDir (Join-Path $dir csv) -PassThru | Export-Csv -Path $csv", ("csv", csv));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(4, lines.Length);
        Assert.Contains("TrainLoss", lines[0]);
    }

    [Fact]
    public void PipelineRecord_WithoutNumbersOrWithAMissingProperty_IsANonTerminatingError()
    {
        var r = RunWithErrors("[pscustomobject]@{ Name = 'x' }, [pscustomobject]@{ Loss = 1 } | Write-TensorBoard (Join-Path $dir bad) -PassThru | ForEach-Object { 'passed' }");
        Assert.Equal(["passed", "passed"], r.Output.Select(o => (string)o.BaseObject));
        Assert.Contains("no numeric property", Assert.Single(r.Errors).Exception.Message);
        var missing = RunWithErrors("[pscustomobject]@{ Loss = 1 } | Write-TensorBoard (Join-Path $dir bad2) -Property Accuracy");
        Assert.Contains("no property 'Accuracy'", Assert.Single(missing.Errors).Exception.Message);
    }

    [Fact]
    public void HistogramImageAndText_AreWritten()
    {
        Run("""
            $logs = Join-Path $dir mixed
            Write-TensorBoard $logs -Tag w -Histogram (New-Tensor -Randn -Shape 100) -Step 4
            Write-TensorBoard $logs -Tag w2 -Histogram (New-Tensor 1,2,3,4) -Bins 2
            Write-TensorBoard $logs -Tag img -Image (New-Tensor -Rand -Shape 3,8,6) -Step 5
            Write-TensorBoard $logs -Tag grid -Image (New-Tensor -Rand -Shape 4,1,5,5)
            Write-TensorBoard $logs -Tag note -Text 'hello' -Step 6
            """);
        var values = EventFileReader.ReadEvents(EventFile("mixed")).Skip(1).Select(e => (e.Step, Value: Assert.Single(e.Values))).ToList();
        Assert.Equal(100, values[0].Value.Histo!.Num);
        Assert.Equal(4, values[0].Step);
        Assert.Equal([2.0, 2.0], values[1].Value.Histo!.Counts);
        Assert.Equal((8, 6, 3), (values[2].Value.Image!.Height, values[2].Value.Image!.Width, values[2].Value.Image!.Colorspace));
        Assert.Equal((9, 30), (values[3].Value.Image!.Height, values[3].Value.Image!.Width)); // one row of 4 images of 5 x 5, padding 2
        Assert.Equal(["hello"], values[4].Value.Strings!);
        Assert.Equal("note/text_summary", values[4].Value.Tag);
    }

    [Fact]
    public void BadImage_IsANonTerminatingError()
    {
        var r = RunWithErrors("Write-TensorBoard (Join-Path $dir img) -Tag x -Image (New-Tensor -Zeros -Shape 5,4,4); 'after'");
        Assert.Equal("after", Assert.Single(r.Output).BaseObject);
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(r.Errors).CategoryInfo.Category);
    }

    static SKBitmap DecodePng(string path) => SKBitmap.Decode(path) ?? throw new InvalidDataException("not a PNG");

    [Fact]
    public void TrainingPlot_IsWrittenFromThePipelineAtTheAskedSize()
    {
        var png = Path.Combine(dir, "loss.png");
        var output = Run(History + "; $history | Export-TrainingPlot $png -Width 640 -Height 400 -Title 'Run a' -PassThru", ("png", png));
        Assert.Equal(png, Assert.IsType<FileInfo>(Assert.Single(output)).FullName);
        using var bitmap = DecodePng(png);
        Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void TrainingPlot_ResolvesRelativePathsAgainstTheCurrentLocation()
    {
        Run(History + "; $ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null; $history | Export-TrainingPlot relative.png");
        Assert.True(File.Exists(Path.Combine(dir, "relative.png")));
    }

    [Fact]
    public void TrainingPlot_NeedsForceToReplaceAFile_AndWhatIfWritesNothing()
    {
        var png = Path.Combine(dir, "plot.png");
        File.WriteAllText(png, "old");
        var r = ps.InvokeWithErrors(History + "; $history | Export-TrainingPlot $png", new Dictionary<string, object?> { ["png"] = png });
        var error = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("-Force", error.Exception.Message);
        Assert.Equal("old", File.ReadAllText(png));

        Run(History + "; $history | Export-TrainingPlot $png -Force -WhatIf", ("png", png));
        Assert.Equal("old", File.ReadAllText(png));
        var fresh = Path.Combine(dir, "fresh.png");
        Run(History + "; $history | Export-TrainingPlot $fresh -WhatIf", ("fresh", fresh));
        Assert.False(File.Exists(fresh));

        Run(History + "; $history | Export-TrainingPlot $png -Force", ("png", png));
        using var bitmap = DecodePng(png);
        Assert.Equal((900, 700), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void TrainingPlot_OfRecordsWithoutCurves_IsAnInvalidDataError()
    {
        var r = RunWithErrors("[pscustomobject]@{ Epoch = 1; Seconds = 2 } | Export-TrainingPlot (Join-Path $dir none.png)");
        Assert.Equal(ErrorCategory.InvalidData, Assert.Single(r.Errors).CategoryInfo.Category);
        Assert.False(File.Exists(Path.Combine(dir, "none.png")));
    }

    [Fact]
    public void MeasureOp_TimesASleepingScriptBlock()
    {
        var m = Run("Measure-Op { [Threading.Thread]::Sleep(20) } -MinTime 0.05 -MinRuns 3 -Label sleep").Single();
        var type = m.GetType();
        Assert.Equal("PSTorch.Benchmark.Measurement", type.FullName);
        double Get(string name) => Convert.ToDouble(type.GetProperty(name)!.GetValue(m));
        var times = (double[])type.GetProperty("Times")!.GetValue(m)!;
        Assert.True(Get("Median") >= 0.020, $"median {Get("Median")}");
        Assert.True(Get("Median") < 1.0, $"median {Get("Median")}");
        Assert.True(times.Length >= 3);
        Assert.Equal(times.Min(), Get("Min"));
        Assert.Equal(times.Max(), Get("Max"));
        Assert.StartsWith("sleep" + Environment.NewLine + "  on cpu" + Environment.NewLine + "  Median: ", m.ToString());
    }

    [Fact]
    public void MeasureOp_PassesTheDeviceToTheScriptBlock_AndComputesRates()
    {
        var r = Run("$seen = $null; $m = Measure-Op { param($device) $script:seen = $device } -MinTime 0.01 -MinRuns 2 -Flops 2e9 -Bytes 1e9; $seen; $m.GFlopsPerSecond / $m.GBPerSecond; $m.Flops");
        Assert.Equal("cpu", r[0]);
        Assert.Equal(2.0, (double)r[1], 9);
        Assert.Equal(2e9, r[2]);
    }

    [Fact]
    public void MeasureOp_NamedOpKnowsItsWork()
    {
        var r = Run("$m = Measure-Op -Op mm -Size 32,16,8 -MinTime 0.01 -MinRuns 2 -Threads 1; $m.Label; $m.Flops; $m.Bytes; $m.Threads; $m.GFlopsPerSecond -gt 0");
        Assert.Equal(["mm(32, 16, 8)", 2.0 * 32 * 16 * 8, 4.0 * (32 * 16 + 16 * 8 + 32 * 8), 1, true], r);
    }

    [Fact]
    public void MeasureOp_UnknownOpListsTheKnownOnes()
    {
        var r = RunWithErrors("Measure-Op -Op matmull -Size 4");
        var error = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Known ops: add, bmm, conv2d, matmul, mm, mul, relu, softmax, sum", error.Exception.Message);
    }

    [Fact]
    public void MeasureOp_OnCpuAndCuda_ReportsCudaUnavailableAndStillOutputsTheCpuMeasurement()
    {
        var r = RunWithErrors("Measure-Op -Op add -Size 64 -Device cpu,cuda -MinTime 0.01 -MinRuns 2 | ForEach-Object { \"$($_.Device)\" }");
        Assert.Equal("cpu", Assert.Single(r.Output).BaseObject);
        var error = Assert.Single(r.Errors);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.StartsWith("CUDA unavailable", error.Exception.Message);
        Assert.Equal("cuda:0", error.TargetObject);
        var script = RunWithErrors("Measure-Op { 1 } -Device cpu,cuda -MinTime 0.01 -MinRuns 2 | ForEach-Object { \"$($_.Device)\" }");
        Assert.Equal("cpu", Assert.Single(script.Output).BaseObject);
        Assert.StartsWith("CUDA unavailable", Assert.Single(script.Errors).Exception.Message);
    }

    [Fact]
    public void MeasureOp_Compare_ReportsTheRatioOfTwoSleeps()
    {
        // 2 ms against 100 ms with the OS sleep (Start-Sleep's wait can take ~100 ms to wake on a starved thread pool):
        // even a loaded machine's late wake-ups (added to both) leave the second clearly longer
        var r = Run("$c = Measure-Op { [Threading.Thread]::Sleep(2) } -Compare { [Threading.Thread]::Sleep(100) } -MinTime 0.05 -MinRuns 5; " +
                    "$c.GetType().FullName; $c.MedianRatio; $c.PairedRatio; $c.Candidate.Median / $c.Baseline.Median; $c.Baseline.Runs; $c.Candidate.Runs; $c.Candidate.Min");
        Assert.Equal("PSTorch.Benchmark.Comparison", r[0]);
        Assert.True((double)r[1] > 1.5, $"ratio of medians {r[1]}");
        Assert.True((double)r[2] > 1.5, $"median of pair ratios {r[2]}");
        Assert.Equal((double)r[3], (double)r[1], 12);
        Assert.Equal(r[4], r[5]);
        Assert.True((int)r[4] >= 5, $"runs {r[4]}");
        // a sleep may end up to a millisecond early on a coarse timer
        Assert.True((double)r[6] >= 0.095, $"fastest 100 ms sleep {r[6]}");
    }

    [Fact]
    public void MeasureOp_CompareWithTwoDevicesIsRefused()
    {
        var r = RunWithErrors("Measure-Op { 1 } -Compare { 2 } -Device cpu,cuda");
        Assert.Contains("single -Device", Assert.Single(r.Errors).Exception.Message);
    }

    [Fact]
    public void MeasureOp_ScriptErrorsAreReported()
    {
        var r = RunWithErrors("Measure-Op { throw 'boom' } -MinTime 0.01 -MinRuns 1; 'after'");
        Assert.Equal("after", Assert.Single(r.Output).BaseObject);
        Assert.Contains("boom", Assert.Single(r.Errors).Exception.Message);
    }

    string[] Complete(string line) =>
        ps.Invoke($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText").Select(o => (string)o.BaseObject).ToArray();

    [Fact]
    public void MeasureOp_CompletesOpNamesAndDevices()
    {
        Assert.Equal(["matmul", "mm", "mul"], Complete("Measure-Op -Op m"));
        Assert.Equal(["cpu", "cuda", "cuda:0"], Complete("Measure-Op -Op add -Size 4 -Device c"));
    }

    [Fact]
    public void MeasurementAndComparison_HaveToStringViews()
    {
        var doc = XDocument.Load(Path.Combine(Path.GetDirectoryName(ModuleRunspace.ManifestPath)!, "module", "PSTorch.format.ps1xml"));
        foreach (var type in new[] { "PSTorch.Benchmark.Measurement", "PSTorch.Benchmark.Comparison" })
        {
            var view = Assert.Single(doc.Descendants("View"), v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type);
            Assert.Equal("$_.ToString()", view.Descendants("ScriptBlock").Single().Value);
        }
    }
}
