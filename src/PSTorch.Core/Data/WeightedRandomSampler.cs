namespace PSTorch.Data;

/// <summary>
/// torch.utils.data.WeightedRandomSampler: index i is drawn with probability proportional to weights[i] (weights are
/// relative, they need not sum to 1). With <c>replacement</c> false each index is drawn at most once, so
/// <c>numSamples</c> cannot exceed the number of positive weights.
/// </summary>
public sealed class WeightedRandomSampler : Sampler
{
    readonly double[] weights;
    readonly int numSamples;

    public WeightedRandomSampler(double[] weights, int numSamples, bool replacement = true, Generator? generator = null)
    {
        CheckNumSamples(numSamples);
        if (weights.Length == 0) throw new ArgumentException("weights should be a non-empty 1d sequence");
        if (weights.Any(w => double.IsNaN(w) || double.IsInfinity(w) || w < 0))
            throw new ArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
        if (weights.All(w => w == 0)) throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        int positive = weights.Count(w => w > 0);
        if (!replacement && numSamples > positive)
            throw new ArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        this.weights = (double[])weights.Clone();
        this.numSamples = numSamples;
        Replacement = replacement;
        Generator = generator;
    }

    public WeightedRandomSampler(Tensor weights, int numSamples, bool replacement = true, Generator? generator = null)
        : this(CheckOneDimensional(weights).To(DType.Float64).ToArray<double>(), numSamples, replacement, generator) { }

    static Tensor CheckOneDimensional(Tensor weights) =>
        weights.NDim == 1 ? weights : throw new ArgumentException($"weights should be a 1d sequence but given weights have shape {Shapes.Format(weights.ShapeRef)}");

    public IReadOnlyList<double> Weights => weights;
    public bool Replacement { get; }
    public Generator? Generator { get; set; }

    public override int Count => numSamples;

    public override IEnumerator<int> GetEnumerator()
    {
        var uniforms = Torch.Rand([numSamples == 0 ? 0 : Replacement ? numSamples : weights.Length], DType.Float64, generator: Generator).ToArray<double>();
        return (Replacement ? DrawWithReplacement(uniforms) : DrawWithoutReplacement(uniforms)).GetEnumerator();
    }

    /// <summary>Inverse-CDF draws: a binary search of the cumulative weights for each uniform.</summary>
    IEnumerable<int> DrawWithReplacement(double[] uniforms)
    {
        var cumulative = new double[weights.Length];
        double sum = 0;
        for (int i = 0; i < weights.Length; i++) cumulative[i] = sum += weights[i];
        foreach (var u in uniforms)
        {
            // First index whose cumulative weight exceeds the draw; zero weights never satisfy it.
            double x = u * sum;
            int lo = 0, hi = weights.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (cumulative[mid] > x) hi = mid; else lo = mid + 1;
            }
            yield return lo;
        }
    }

    /// <summary>
    /// Sequential weighted draws without replacement via exponential keys (Efraimidis-Spirakis): sorting by
    /// u^(1/w) descending gives the same distribution as drawing one at a time and renormalising.
    /// </summary>
    IEnumerable<int> DrawWithoutReplacement(double[] uniforms)
    {
        var keys = new double[weights.Length];
        for (int i = 0; i < weights.Length; i++)
            keys[i] = weights[i] > 0 ? Math.Log(Math.Max(uniforms[i], double.Epsilon)) / weights[i] : double.NegativeInfinity;
        return Enumerable.Range(0, weights.Length).OrderByDescending(i => keys[i]).Take(numSamples);
    }
}
