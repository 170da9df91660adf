namespace PSTorch.Training;

/// <summary>
/// A running total kept on the device of the values added to it, so that adding costs no host synchronisation;
/// reading <see cref="Value"/> copies it back (a synchronisation on CUDA), which the training loop does only when a
/// number is shown or saved. Additions happen in the order given, in the total's dtype (float64 for losses, int64 for
/// counts), so the total is the same whenever and however often it is read.
/// </summary>
internal sealed class RunningSum(DType dtype) : IDisposable
{
    double start;
    Tensor? total;

    /// <summary>Starts over from <paramref name="value"/> (a total restored from a checkpoint).</summary>
    public void Restore(double value)
    {
        total?.Dispose();
        total = null;
        start = value;
    }

    /// <summary>Adds a one-element tensor (on any device), times <paramref name="weight"/>: exactly total += value * weight.</summary>
    public void Add(Tensor value, long weight = 1)
    {
        using var _ = Torch.NoGrad();
        using var term = value.To(dtype, copy: true);   // under no-grad: no graph, and no extra claim on value's memory
        if (weight != 1) term.Mul_(weight);
        using var scalar = term.Reshape([]);
        total ??= Torch.Full([], start, dtype, term.Device);
        total.Add_(scalar);
    }

    public double Value => total is null ? start : total.Item<double>();

    public void Dispose() => total?.Dispose();
}
