using System.Globalization;
using System.Text.RegularExpressions;
using PSTorch.Tests.PowerShell;

namespace PSTorch.Tests.Host;

/// <summary>examples/train.ps1, the README's main job, run by pstorch as the README's first command runs it (one epoch here).</summary>
public sealed class MainJobTests
{
    [Fact]
    public void TrainScriptTrainsEvaluatesAndPredicts()
    {
        var run = PstorchProcess.Run("-File", Path.Combine(RepositoryPaths.Root, "examples", "train.ps1"), "-Epochs", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        Assert.Matches(@"Epoch\s+TrainLoss\s+TrainAcc\s+ValLoss\s+ValAcc", run.Stdout);
        var accuracy = Regex.Match(run.Stdout, @"Evaluation over 1000 samples: loss [\d.]+, accuracy (?<acc>[\d.]+) %");
        Assert.True(accuracy.Success, run.ToString());
        Assert.InRange(double.Parse(accuracy.Groups["acc"].Value, CultureInfo.InvariantCulture), 60, 100);
        Assert.Contains("Confusion matrix (rows: true class, columns: predicted):", run.Stdout);
        Assert.Contains("Ankle boot", run.Stdout);
    }
}
