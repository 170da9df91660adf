using System.Globalization;

namespace PSTorch.Benchmark;

/// <summary>
/// Two timings taken pair by pair (<see cref="Timer.Compare"/>): a baseline and a candidate, with the candidate's time
/// relative to the baseline's, both as the ratio of the medians and as the median of the per-pair ratios.
/// A ratio of 2 means the candidate takes twice as long.
/// </summary>
public sealed class Comparison
{
    public Comparison(Measurement baseline, Measurement candidate)
    {
        if (baseline.Runs != candidate.Runs)
            throw new ArgumentException($"paired measurements need as many runs on both sides, got {baseline.Runs} and {candidate.Runs}");
        Baseline = baseline;
        Candidate = candidate;
        PairRatios = baseline.Times.Zip(candidate.Times, (b, c) => c / b).ToArray();
        var sorted = PairRatios.Order().ToArray();
        PairedRatio = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public Measurement Baseline { get; }
    public Measurement Candidate { get; }

    /// <summary>Candidate.Median / Baseline.Median.</summary>
    public double MedianRatio => Candidate.Median / Baseline.Median;

    /// <summary>The median over pairs of candidate time / baseline time.</summary>
    public double PairedRatio { get; }

    /// <summary>Candidate time / baseline time for each pair, in the order they ran.</summary>
    public double[] PairRatios { get; }

    public override string ToString()
    {
        string Ratio(double r) => r.ToString("0.000", CultureInfo.InvariantCulture);
        return string.Join(Environment.NewLine,
            Baseline.ToString(),
            Candidate.ToString(),
            $"Ratio (second / first): {Ratio(MedianRatio)} of medians, {Ratio(PairedRatio)} median of {PairRatios.Length} pairs");
    }
}
