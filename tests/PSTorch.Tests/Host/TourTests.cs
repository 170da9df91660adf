using System.Globalization;
using System.Text.RegularExpressions;
using PSTorch.Tests.PowerShell;

namespace PSTorch.Tests.Host;

/// <summary>examples/tour.ps1, run by pstorch.</summary>
public sealed class TourTests
{
    [Fact]
    public void TourRunsToTheEndAndLearnsTheLine()
    {
        var run = PstorchProcess.Run("-File", Path.Combine(RepositoryPaths.Root, "examples", "tour.ps1"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        for (int section = 1; section <= 9; section++) Assert.Contains($"== {section}. ", run.Stdout);
        Assert.Contains("y.GradFn = PowBackward0, z.GradFn = MulBackward0, out.GradFn = MeanBackward0", run.Stdout);
        Assert.Contains("e.GradFn = MyExpBackward", run.Stdout);
        Assert.Contains("gradcheck: True", run.Stdout);

        var learned = Regex.Match(run.Stdout, @"learned: y = (?<w>-?[\d.]+) x \+ (?<b>-?[\d.]+)");
        Assert.True(learned.Success, run.ToString());
        Assert.InRange(double.Parse(learned.Groups["w"].Value, CultureInfo.InvariantCulture), 2.9, 3.1);
        Assert.InRange(double.Parse(learned.Groups["b"].Value, CultureInfo.InvariantCulture), 1.9, 2.1);
    }
}
