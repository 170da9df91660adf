using PSTorch.Amp;
using PSTorch.IO;

namespace PSTorch.Training;

/// <summary>The trainer's checkpoints: a <see cref="Checkpoint"/> (model, optimizer, scheduler, gradient scaler, epoch, RNG) with the <see cref="TrainingState"/> in its metadata.</summary>
internal static class TrainingCheckpoint
{
    /// <summary>Saves atomically (the previous file stays whole until the new one replaces it).</summary>
    public static void Save(string path, TrainerOptions options, int epoch, TrainingState state, GradScaler? scaler)
    {
        var metadata = new Dictionary<string, string> { [TrainingState.MetadataKey] = state.ToJson() };
        Checkpoint.Capture(options.Model, options.Optimizer, options.Scheduler, epoch, metadata, scaler).Save(path);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into the options' model, optimizer, scheduler and gradient scaler and sets the generators;
    /// returns the trainer state (for a checkpoint written outside a trainer: its epoch, and the default generator's state).
    /// A checkpoint without scaler state (a run without float16 mixed precision) leaves the scaler at its initial scale.
    /// </summary>
    public static TrainingState Resume(string path, TrainerOptions options, Device device, IReadOnlyList<Generator> generators, GradScaler? scaler)
    {
        var checkpoint = Checkpoint.Load(path, device);
        checkpoint.Restore(options.Model, options.Optimizer, options.Scheduler, strict: true, restoreRng: true,
            scaler: checkpoint.Scaler is null ? null : scaler);
        if (!checkpoint.Metadata.TryGetValue(TrainingState.MetadataKey, out var json))
            return new TrainingState { EpochsDone = (int)checkpoint.Epoch };
        var state = TrainingState.FromJson(json);
        // Mid-epoch, the trainer sets the generators itself once the epoch's order has been drawn again.
        if (state.Partial is null) state.Rng?.Apply(generators);
        return state;
    }
}
