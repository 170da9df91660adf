using PSTorch.NN;

namespace PSTorch.Optim;

/// <summary>
/// The parameters of one group that an optimizer's Update set aside for its backend's fused multi-tensor step,
/// handed out as batches that share a device, a dtype and a key (Adam's step number, SGD's first-step flag): one
/// backend call each, so a CUDA step is one launch for all of a model's parameters, as PyTorch's foreach path.
/// Reused from step to step, so a steady step allocates nothing here.
/// </summary>
internal sealed class FusedBatches<T> where T : struct, Backends.IStepTensors
{
    readonly List<(T Tensors, long Key, bool Taken)> staged = [];
    T[] batch = new T[8];

    public void Add(T tensors, long key) => staged.Add((tensors, key, false));

    /// <summary>
    /// The next batch: every staged parameter not yet handed out that shares the first such parameter's device,
    /// dtype and key, in staging order. False when all have been handed out.
    /// </summary>
    public bool TryTake(out ReadOnlySpan<T> tensors, out Tensor lead, out long key)
    {
        int first = staged.FindIndex(e => !e.Taken);
        if (first < 0)
        {
            tensors = default;
            lead = null!;
            key = 0;
            return false;
        }
        (var leading, key, _) = staged[first];
        lead = leading.Param;
        int count = 0;
        for (int i = first; i < staged.Count; i++)
        {
            var entry = staged[i];
            var param = entry.Tensors.Param;
            if (entry.Taken || entry.Key != key || param.Device != lead.Device || param.DType != lead.DType) continue;
            if (count == batch.Length) Array.Resize(ref batch, 2 * count);
            batch[count++] = entry.Tensors;
            entry.Taken = true;
            staged[i] = entry;
        }
        tensors = batch.AsSpan(0, count);
        return true;
    }

    /// <summary>
    /// After a group failed before its fused step: the parameters still set aside were not updated, so the step counts
    /// their Update advanced (the batches' key) go back by one.
    /// </summary>
    public void RollBackSteps(Func<Parameter, Dictionary<string, object>> stateOf)
    {
        while (TryTake(out var dropped, out _, out long step))
            foreach (var t in dropped) stateOf((Parameter)t.Param)["step"] = step - 1;
    }

    /// <summary>Forgets the staged parameters (handed out or not) and the tensors they held.</summary>
    public void Clear()
    {
        staged.Clear();
        Array.Clear(batch);
    }
}
