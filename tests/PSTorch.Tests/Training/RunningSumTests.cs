using PSTorch.Training;

namespace PSTorch.Tests.Training;

/// <summary>The device-side running totals of the training metrics.</summary>
public sealed class RunningSumTests
{
    [Fact]
    public void WeightedLossesAddUpExactlyAsTheHostSumInFloat64()
    {
        var losses = Torch.Rand([50], generator: new Generator(4)).Mul(3).ToArray<float>();
        using var sum = new RunningSum(DType.Float64);
        double expected = 0.125;   // restored from a checkpoint
        sum.Restore(expected);
        Assert.Equal(expected, sum.Value);
        for (int i = 0; i < losses.Length; i++)
        {
            long weight = 1 + i % 7;
            using var loss = Torch.NewTensor(losses[i]);
            sum.Add(loss, weight);
            expected += (double)losses[i] * weight;
            if (i % 9 == 0) Assert.Equal(expected, sum.Value);   // reading does not change what follows
        }
        Assert.Equal(expected, sum.Value);
    }

    [Fact]
    public void CountsStayIntegersAndAcceptOneElementTensorsOfAnyShape()
    {
        using var sum = new RunningSum(DType.Int64);
        using var hits = Torch.NewTensor(new[] { true, false, true, true }).Sum();
        sum.Add(hits);
        using var column = Torch.NewTensor(new long[] { 5 }).View(1, 1);
        sum.Add(column);
        Assert.Equal(8, sum.Value);
        sum.Restore(2);
        sum.Add(hits);
        Assert.Equal(5, sum.Value);
    }
}
