using System.Management.Automation;
using PSTorch.Host;

namespace PSTorch.Tests.Host;

public sealed class ProgressRendererTests
{
    private static ProgressRecord Record(int id, string activity, string status, int percent, int parent = -1) =>
        new(id, activity, status) { PercentComplete = percent, ParentActivityId = parent };

    [Fact]
    public void LiveProgressRewritesOneLineAndErasesItOnCompletion()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, live: true, () => 80, TimeSpan.Zero);

        renderer.Update(0, Record(0, "Training", "epoch 1", 20));
        renderer.Update(0, Record(0, "Training", "epoch 2", 40));
        renderer.Update(0, new ProgressRecord(0, "Training", "done") { RecordType = ProgressRecordType.Completed });

        var first = "Training: epoch 1 [####                ] 20%";
        var second = "Training: epoch 2 [########            ] 40%";
        Assert.Equal($"\r{first}\r{second}\r{new string(' ', second.Length)}\r", writer.ToString());
        Assert.DoesNotContain('\n', writer.ToString());
    }

    [Fact]
    public void ShorterLinePadsOverTheLongerOne()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, live: true, () => 80, TimeSpan.Zero);

        renderer.Update(0, Record(0, "A long activity name", "status", -1));
        renderer.Update(0, Record(0, "Short", "s", -1));

        Assert.EndsWith("\rShort: s".PadRight("\rA long activity name: status".Length), writer.ToString());
    }

    [Fact]
    public void ChildCompletionFallsBackToTheParentLine()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, live: true, () => 80, TimeSpan.Zero);

        renderer.Update(0, Record(0, "Epochs", "1/3", 33));
        renderer.Update(0, Record(1, "Batches", "7/10", 70, parent: 0));
        renderer.Update(0, new ProgressRecord(1, "Batches", "done") { ParentActivityId = 0, RecordType = ProgressRecordType.Completed });

        Assert.EndsWith("\r" + "Epochs: 1/3 [######              ] 33%".PadRight("Batches: 7/10 [##############      ] 70%".Length), writer.ToString());
    }

    [Fact]
    public void RedirectedStreamGetsNothing()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, live: false, () => 80, TimeSpan.Zero);

        renderer.Update(0, Record(0, "Training", "epoch 1", 20));
        renderer.Suspend();
        renderer.Reset();

        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void UpdatesWithinTheIntervalAreSkippedButCompletionIsNot()
    {
        var writer = new StringWriter();
        var renderer = new ProgressRenderer(writer, live: true, () => 80, TimeSpan.FromHours(1));

        renderer.Update(0, Record(0, "Training", "batch 1", 1));
        renderer.Update(0, Record(0, "Training", "batch 2", 2));
        renderer.Update(0, Record(0, "Training", "batch 3", 100));

        Assert.Contains("batch 1", writer.ToString());
        Assert.DoesNotContain("batch 2", writer.ToString());
        Assert.Contains("batch 3", writer.ToString());
    }

    [Fact]
    public void DescriptionFitsTheWidthAndShowsTimeLeftAndOperation()
    {
        var record = Record(0, "Training", "epoch 2", 50);
        record.SecondsRemaining = 75;
        record.CurrentOperation = "batch 10";

        Assert.Equal("Training: epoch 2 [##########          ] 50% 0:01:15 left - batch 10", ProgressRenderer.Describe(record, 200));
        Assert.Equal("Training: ep", ProgressRenderer.Describe(record, 13));
    }
}
