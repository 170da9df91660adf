using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Training;

/// <summary>What <see cref="Trainer"/> trains and how. Only the model, loss, optimizer and training loader are required.</summary>
public sealed class TrainerOptions
{
    public required Module Model { get; init; }
    public required Loss Loss { get; init; }
    public required Optimizer Optimizer { get; init; }
    public required DataLoader TrainLoader { get; init; }

    /// <summary>Evaluated after every epoch (eval mode, no-grad) for the validation loss and accuracy.</summary>
    public DataLoader? ValidationLoader { get; init; }

    /// <summary>The total number of epochs; a resumed run continues up to this number.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Where to train (null: where the model's parameters are).</summary>
    public Device? Device { get; init; }

    /// <summary>
    /// Stepped after every batch or every epoch, as its <see cref="LRScheduler.Interval"/> says; a
    /// <see cref="ReduceLROnPlateau"/> is stepped after every epoch with the validation loss (the training loss without validation).
    /// </summary>
    public LRScheduler? Scheduler { get; init; }

    /// <summary>Clips the gradients' total 2-norm to this value before every optimizer step (null: no clipping).</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>
    /// PyTorch's automatic mixed precision recipe: the forward pass and the loss (training and validation) run under
    /// <see cref="Torch.Autocast(Device, DType?, bool)"/> for the training device's type, the parameters and their
    /// gradients stay float32, and a <see cref="Amp.GradScaler"/> scales the loss for float16 (steps whose gradients
    /// hold inf or NaN are skipped and the scale backs off); bfloat16 keeps float32's range, so it runs without scaling.
    /// </summary>
    public bool MixedPrecision { get; init; }

    /// <summary>The lower precision of <see cref="MixedPrecision"/>: bfloat16 or float16 (null: bfloat16 on the CPU, float16 on CUDA).</summary>
    public DType? AutocastDType { get; init; }

    /// <summary>Top-k accuracies to measure for classifiers, e.g. [5] (reported as train_top5 / val_top5).</summary>
    public IReadOnlyList<int> TopK { get; init; } = [];

    /// <summary>The metric for the best epoch, save-best and early stopping (null: val_loss with validation, else train_loss; no early stopping).</summary>
    public MetricMonitor? Monitor { get; init; }

    /// <summary>Saved (atomically) after every epoch and when training is cancelled.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Also keeps the best epoch's checkpoint (by <see cref="Monitor"/>) in <see cref="Trainer.BestCheckpointPathFor"/>(CheckpointPath).</summary>
    public bool SaveBest { get; init; }

    /// <summary>A checkpoint written by a trainer to continue from (model, optimizer, scheduler, epoch, RNG and loader state, history).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>A folder for TensorBoard event files: train/loss per step, epoch/* metrics and lr per epoch.</summary>
    public string? LogDir { get; init; }
}
