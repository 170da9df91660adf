namespace PSTorch.IO.TensorBoard;

/// <summary>
/// The contents of a HistogramProto: min, max, count, sum, sum of squares and parallel bucket limits/counts,
/// where bucket i counts the values in [limit(i-1), limit(i)) and bucket 0 starts at -DBL_MAX.
/// </summary>
public sealed class Histogram
{
    Histogram(double[] values, IReadOnlyList<double> limits, IReadOnlyList<double> counts)
    {
        Min = values.Min();
        Max = values.Max();
        Count = values.Length;
        foreach (var x in values)
        {
            Sum += x;
            SumSquares += x * x;
        }
        BucketLimits = limits;
        BucketCounts = counts;
    }

    public double Min { get; }
    public double Max { get; }
    public double Count { get; }
    public double Sum { get; }
    public double SumSquares { get; }
    public IReadOnlyList<double> BucketLimits { get; }
    public IReadOnlyList<double> BucketCounts { get; }

    /// <summary>TensorFlow's default limits: -DBL_MAX, ..., -1e-12, 0, 1e-12, 1.1e-12, ... (growing by 10% below 1e20), DBL_MAX.</summary>
    public static IReadOnlyList<double> DefaultBucketLimits { get; } = BuildDefaultLimits();

    static double[] BuildDefaultLimits()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        positive.Add(double.MaxValue);
        var limits = new List<double>(positive.Count * 2 + 1);
        for (int i = positive.Count - 1; i >= 0; i--) limits.Add(-positive[i]);
        limits.Add(0.0);
        limits.AddRange(positive);
        return limits.ToArray();
    }

    /// <summary>Counts in the default buckets, each run of empty buckets collapsed into one (TensorFlow's EncodeToProto).</summary>
    public static Histogram TensorBoardDefault(double[] values)
    {
        var limits = DefaultBucketLimits;
        var counts = new double[limits.Count];
        foreach (var x in values) counts[UpperBound(limits, x)]++;
        var keptLimits = new List<double>();
        var keptCounts = new List<double>();
        for (int i = 0; i < counts.Length;)
        {
            double end = limits[i], count = counts[i];
            i++;
            if (count == 0)
                while (i < counts.Length && counts[i] == 0) end = limits[i++];
            keptLimits.Add(end);
            keptCounts.Add(count);
        }
        return new Histogram(values, keptLimits, keptCounts);
    }

    /// <summary>Index of the first limit greater than x (std::upper_bound), the bucket x falls in.</summary>
    static int UpperBound(IReadOnlyList<double> limits, double x)
    {
        int lo = 0, hi = limits.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (limits[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return Math.Min(lo, limits.Count - 1);
    }

    /// <summary><paramref name="bins"/> equal-width buckets from min to max; the last one includes max.</summary>
    public static Histogram EqualWidth(double[] values, int bins)
    {
        double min = values.Min(), max = values.Max();
        double width = max > min ? (max - min) / bins : 1;
        var counts = new double[bins];
        foreach (var x in values) counts[Math.Min(bins - 1, (int)((x - min) / width))]++;
        var limits = new double[bins];
        for (int i = 0; i < bins; i++) limits[i] = i == bins - 1 ? max : min + (i + 1) * width;
        return new Histogram(values, limits, counts);
    }

    internal ProtoWriter ToProto() =>
        new ProtoWriter().Double(1, Min).Double(2, Max).Double(3, Count).Double(4, Sum).Double(5, SumSquares)
            .PackedDoubles(6, BucketLimits).PackedDoubles(7, BucketCounts);
}
