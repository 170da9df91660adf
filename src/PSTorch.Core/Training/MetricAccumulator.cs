namespace PSTorch.Training;

/// <summary>
/// Running sums of one pass over a loader: the sample-weighted loss and, for classifiers, correct top-1 and top-k
/// predictions, optionally a confusion matrix. A batch counts as classification when the output is [N, C] and the
/// target holds class indices [N] (integer) or class probabilities [N, C] (their argmax is the class).
/// The sums stay on the batches' device (<see cref="RunningSum"/>): adding a batch does not wait for the device, and
/// reading a sum does (the confusion matrix, collected by evaluation only, is read per batch).
/// </summary>
internal sealed class MetricAccumulator : IDisposable
{
    readonly int[] topK;
    readonly RunningSum[] topKCorrect;
    readonly RunningSum lossSum = new(DType.Float64), correct = new(DType.Int64);
    readonly bool collectConfusion;

    public MetricAccumulator(IReadOnlyList<int> topK, bool collectConfusion = false)
    {
        foreach (var k in topK)
            if (k < 1) throw new ArgumentException($"top-k needs k >= 1, got {k}");
        this.topK = topK.Distinct().Order().ToArray();
        topKCorrect = this.topK.Select(_ => new RunningSum(DType.Int64)).ToArray();
        this.collectConfusion = collectConfusion;
    }

    public double LossSum => lossSum.Value;
    public long Samples { get; private set; }
    public long Batches { get; private set; }
    public long Correct => (long)correct.Value;
    public bool IsClassification { get; private set; }
    public long[,]? Confusion { get; private set; }

    /// <summary>Whether batches came with a loss (evaluation without a loss function counts only accuracies).</summary>
    public bool HasLoss { get; private set; }

    public double? Loss => HasLoss && Samples > 0 ? LossSum / Samples : null;
    public double? Accuracy => IsClassification && Samples > 0 ? (double)Correct / Samples : null;

    /// <summary>Top-k accuracy by k (only k &lt; the number of classes; k = C would always be 1).</summary>
    public IEnumerable<(int K, double Accuracy)> TopKAccuracies()
    {
        if (!IsClassification || Samples == 0) yield break;
        for (int i = 0; i < topK.Length; i++) yield return (topK[i], topKCorrect[i].Value / Samples);
    }

    /// <summary>Adds one batch: its mean loss (a one-element tensor, if any), and the correct counts from its output and target (under no-grad).</summary>
    public void Add(Tensor? batchLoss, Tensor output, Tensor? target)
    {
        long n = output.NDim > 0 ? output.Size(0) : 1;
        if (batchLoss is not null)
        {
            lossSum.Add(batchLoss, n);
            HasLoss = true;
        }
        Samples += n;
        Batches++;
        if (target is null || !TryClasses(output, target, out var classes)) return;
        using var _ = Torch.NoGrad();
        IsClassification = true;
        using (var predicted = output.Argmax(1))
        {
            using var hits = predicted.Eq(classes);
            using var count = hits.Sum();
            correct.Add(count);
            if (collectConfusion) AddConfusion(predicted, classes, (int)output.Size(1));
        }
        if (topK.Length > 0)
        {
            // Rank of the true class = how many logits beat it; it is in the top k when fewer than k do.
            using var index = classes.Unsqueeze(1);
            using var trueLogit = output.Gather(1, index);
            using var beats = output.Gt(trueLogit);
            using var rank = beats.Sum(1);
            for (int i = 0; i < topK.Length; i++)
            {
                using var inTop = rank.Lt(topK[i]);
                using var count = inTop.Sum();
                topKCorrect[i].Add(count);
            }
        }
        if (!ReferenceEquals(classes, target)) classes.Dispose();
    }

    /// <summary>Restores sums saved from a pass interrupted mid-way.</summary>
    public void Restore(double lossSum, long samples, long batches, long correct, long[] topKCorrectSaved, bool isClassification)
    {
        this.lossSum.Restore(lossSum);
        HasLoss = batches > 0;
        Samples = samples;
        Batches = batches;
        this.correct.Restore(correct);
        IsClassification = isClassification;
        if (topKCorrectSaved.Length == topKCorrect.Length)
            for (int i = 0; i < topKCorrect.Length; i++) topKCorrect[i].Restore(topKCorrectSaved[i]);
    }

    public long[] TopKCorrect => topKCorrect.Select(s => (long)s.Value).ToArray();

    public void Dispose()
    {
        lossSum.Dispose();
        correct.Dispose();
        foreach (var s in topKCorrect) s.Dispose();
    }

    static bool TryClasses(Tensor output, Tensor target, out Tensor classes)
    {
        classes = target;
        if (output.NDim != 2 || target.NDim < 1 || target.Size(0) != output.Size(0)) return false;
        if (target.NDim == 1 && !target.IsFloatingPoint() && target.DType != DType.Bool) return true;
        if (target.NDim == 2 && target.IsFloatingPoint() && target.Size(1) == output.Size(1))
        {
            using var _ = Torch.NoGrad();
            classes = target.Argmax(1);
            return true;
        }
        return false;
    }

    void AddConfusion(Tensor predicted, Tensor classes, int numClasses)
    {
        Confusion ??= new long[numClasses, numClasses];
        if (Confusion.GetLength(0) < numClasses) Grow(numClasses);
        var p = predicted.ToArray<long>();
        long[] t;
        if (classes.DType == DType.Int64) t = classes.ToArray<long>();
        else using (var widened = classes.To(DType.Int64)) t = widened.ToArray<long>();
        for (int i = 0; i < p.Length; i++)
        {
            if (t[i] < 0 || t[i] >= Confusion.GetLength(0)) continue; // ignore_index-style labels are not a class
            Confusion[t[i], p[i]]++;
        }
    }

    void Grow(int numClasses)
    {
        var bigger = new long[numClasses, numClasses];
        for (int i = 0; i < Confusion!.GetLength(0); i++)
            for (int j = 0; j < Confusion.GetLength(1); j++) bigger[i, j] = Confusion[i, j];
        Confusion = bigger;
    }
}
