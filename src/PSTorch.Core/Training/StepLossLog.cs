using PSTorch.IO.TensorBoard;

namespace PSTorch.Training;

/// <summary>
/// The per-step training losses for TensorBoard ("train/loss"), kept on the training device and written in blocks:
/// one read back per block instead of a synchronisation every step. Each value keeps the wall time of its step.
/// </summary>
internal sealed class StepLossLog(SummaryWriter writer) : IDisposable
{
    const int BlockSteps = 256;
    readonly List<(long Step, double WallTime, Tensor Loss)> pending = new(BlockSteps);

    /// <summary>Logs a step's loss (a one-element tensor; this log keeps its own reference).</summary>
    public void Add(long step, Tensor loss)
    {
        pending.Add((step, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, loss.Detach()));
        if (pending.Count == BlockSteps) Flush();
    }

    /// <summary>Writes the pending values (one read back) and releases them.</summary>
    public void Flush()
    {
        if (pending.Count == 0) return;
        try
        {
            double[] values;
            using (Torch.NoGrad())
            using (var stacked = Torch.Stack(pending.Select(p => p.Loss).ToArray()))
            using (var wide = stacked.To(DType.Float64, copy: true))
                values = wide.ToArray<double>();
            for (int i = 0; i < values.Length; i++) writer.AddScalar("train/loss", values[i], pending[i].Step, pending[i].WallTime);
        }
        finally
        {
            foreach (var p in pending) p.Loss.Dispose();
            pending.Clear();
        }
    }

    public void Dispose() => Flush();
}
