using System.Globalization;
using PSTorch.Autograd;
using PSTorch.Backends;
using PSTorch.Optim;

namespace PSTorch.Amp;

/// <summary>
/// torch.amp.GradScaler: multiplies the loss by a scale factor so that small float16 gradients do not flush to zero,
/// unscales the gradients before the optimizer step, skips steps whose gradients hold inf or NaN, and adapts the
/// scale: halved (backoffFactor) after such a step, doubled (growthFactor) after growthInterval good steps in a row.
/// <code>
/// scaler.Scale(loss).Backward(); scaler.Step(optimizer); scaler.Update();
/// </code>
/// The scale, the growth tracker and the inf flags are one-element tensors on the device, updated by backend kernels;
/// Step reads one flag per device back to decide whether to step. A disabled scaler passes everything through.
/// </summary>
public sealed class GradScaler
{
    enum Stage { Ready, Unscaled, Stepped }

    sealed class OptimizerState
    {
        public Stage Stage = Stage.Ready;
        public readonly Dictionary<Device, Tensor> FoundInfPerDevice = [];
    }

    readonly Device device;
    double initScale;
    int initGrowthTracker;
    Tensor? scale, growthTracker;
    readonly Dictionary<Optimizer, OptimizerState> perOptimizer = new(ReferenceEqualityComparer.Instance);

    public GradScaler(Device device, double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, long growthInterval = 2000, bool enabled = true)
    {
        if (enabled)
        {
            if (!(growthFactor > 1.0)) throw new ArgumentException("The growth factor must be > 1.0.", nameof(growthFactor));
            if (!(backoffFactor < 1.0)) throw new ArgumentException("The backoff factor must be < 1.0.", nameof(backoffFactor));
            if (growthInterval <= 0 || growthInterval > int.MaxValue) throw new ArgumentException("growth_interval must be a positive integer", nameof(growthInterval));
        }
        this.device = device;
        this.initScale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
        IsEnabled = enabled;
    }

    /// <inheritdoc cref="GradScaler(Device, double, double, double, long, bool)"/>
    public GradScaler(string device = "cuda", double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, long growthInterval = 2000, bool enabled = true)
        : this(Device.Parse(device), initScale, growthFactor, backoffFactor, growthInterval, enabled) { }

    public bool IsEnabled { get; }
    public double GrowthFactor { get; set; }
    public double BackoffFactor { get; set; }
    public long GrowthInterval { get; set; }

    /// <summary>outputs * scale (the loss before Backward); the scale tensors are created on the first call.</summary>
    public Tensor Scale(Tensor outputs)
    {
        if (!IsEnabled) return outputs;
        EnsureScale();
        return outputs * scale!.To(outputs.Device);
    }

    /// <summary>Scales several outputs (losses of a multi-output model).</summary>
    public Tensor[] Scale(IEnumerable<Tensor> outputs) => outputs.Select(Scale).ToArray();

    void EnsureScale()
    {
        if (scale != null) return;
        scale = Torch.Full([], initScale, DType.Float32, device);
        growthTracker = Torch.Full([], initGrowthTracker, DType.Int32, device);
    }

    (Tensor Scale, Tensor GrowthTracker) CheckScaleGrowthTracker(string function)
    {
        const string fix = "This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.";
        if (scale == null) throw new InvalidOperationException($"Attempted {function} but _scale is None.  " + fix);
        return (scale, growthTracker!);
    }

    OptimizerState StateOf(Optimizer optimizer)
    {
        if (!perOptimizer.TryGetValue(optimizer, out var state)) perOptimizer[optimizer] = state = new OptimizerState();
        return state;
    }

    /// <summary>
    /// Divides the optimizer's gradients by the scale in place (e.g. before clipping them) and records whether any is
    /// inf or NaN. At most once per optimizer between two Update calls, and not after Step.
    /// </summary>
    public void Unscale_(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled) return;
        var (currentScale, _) = CheckScaleGrowthTracker("unscale_");
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Unscaled) throw new InvalidOperationException("unscale_() has already been called on this optimizer since the last update().");
        if (state.Stage == Stage.Stepped) throw new InvalidOperationException("unscale_() is being called after step().");

        var grads = new List<Tensor>();
        foreach (var group in optimizer.ParamGroups)
            foreach (var p in group.Params)
            {
                if (p.Grad == null) continue;
                if (p.Grad.DType == DType.Float16) throw new ArgumentException("Attempting to unscale FP16 gradients.");
                grads.Add(p.Grad);
            }
        using (GradMode.Set(false))
        using (var invScale = ReciprocalInFloat32(currentScale))
        {
            foreach (var (gradDevice, onDevice) in grads.GroupBy(g => g.Device).Select(g => (g.Key, g.ToList())))
            {
                var foundInf = Torch.Zeros([], DType.Float32, gradDevice);
                using var inv = invScale.To(gradDevice);
                Backend.For(gradDevice).NonFiniteCheckAndUnscale(onDevice, foundInf, inv);
                state.FoundInfPerDevice[gradDevice] = foundInf;
            }
            // an optimizer without gradients still records that it found nothing
            if (state.FoundInfPerDevice.Count == 0) state.FoundInfPerDevice[currentScale.Device] = Torch.Zeros([], DType.Float32, currentScale.Device);
        }
        state.Stage = Stage.Unscaled;
    }

    /// <summary>1 / scale computed in float64 and rounded to float32, as PyTorch does.</summary>
    static Tensor ReciprocalInFloat32(Tensor scale)
    {
        using var wide = scale.To(DType.Float64, copy: true);
        using var reciprocal = wide.Reciprocal();
        return reciprocal.To(DType.Float32, copy: true);
    }

    /// <summary>
    /// Unscales the gradients (unless Unscale_ already did) and runs optimizer.Step() only when none of them is inf or
    /// NaN; returns whether the optimizer stepped. Once per optimizer between two Update calls.
    /// </summary>
    public bool Step(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!IsEnabled)
        {
            optimizer.Step();
            return true;
        }
        CheckScaleGrowthTracker("step");
        var state = StateOf(optimizer);
        if (state.Stage == Stage.Stepped) throw new InvalidOperationException("step() has already been called since the last update().");
        if (state.Stage == Stage.Ready) Unscale_(optimizer);
        bool stepped = state.FoundInfPerDevice.Values.Sum(f => f.Item<double>()) == 0;
        if (stepped) optimizer.Step();
        state.Stage = Stage.Stepped;
        return stepped;
    }

    /// <summary>
    /// Adapts the scale for the next iteration from the inf checks of this one (backoff after an inf/NaN, growth after
    /// GrowthInterval good steps), or sets it to <paramref name="newScale"/>. Call once per iteration, after Step.
    /// </summary>
    public void Update(double? newScale = null)
    {
        if (!IsEnabled) return;
        var (currentScale, tracker) = CheckScaleGrowthTracker("update");
        if (newScale is { } value) Backend.For(currentScale).Fill(currentScale, value);
        else
        {
            var foundInfs = perOptimizer.Values.SelectMany(s => s.FoundInfPerDevice.Values).ToList();
            if (foundInfs.Count == 0) throw new InvalidOperationException("No inf checks were recorded prior to update.");
            using (GradMode.Set(false))
            {
                var combined = Torch.Zeros([], DType.Float32, currentScale.Device);
                foreach (var found in foundInfs)
                    using (var here = found.To(currentScale.Device)) combined.Add_(here);
                Backend.For(currentScale).UpdateScale(currentScale, tracker, combined, GrowthFactor, BackoffFactor, GrowthInterval);
                combined.Dispose();
            }
        }
        foreach (var found in perOptimizer.Values.SelectMany(s => s.FoundInfPerDevice.Values)) found.Dispose();
        perOptimizer.Clear();
    }

    /// <summary>Sets the scale to a one-element float32 tensor's value (update(new_scale) with a tensor).</summary>
    public void Update(Tensor newScale)
    {
        ArgumentNullException.ThrowIfNull(newScale);
        if (!IsEnabled) return;
        if (newScale.Numel() != 1 || newScale.DType != DType.Float32 || newScale.RequiresGrad)
            throw new ArgumentException("new_scale should be a float or a 1-element torch.cuda.FloatTensor or torch.FloatTensor with requires_grad=False.");
        var (currentScale, _) = CheckScaleGrowthTracker("update");
        using (var value = newScale.Detach().Reshape().To(currentScale.Device)) currentScale.CopyFrom(value);
        foreach (var found in perOptimizer.Values.SelectMany(s => s.FoundInfPerDevice.Values)) found.Dispose();
        perOptimizer.Clear();
    }

    /// <summary>The current scale (reads it back from the device); 1 when disabled, the initial scale before the first Scale.</summary>
    public double GetScale() => !IsEnabled ? 1.0 : scale == null ? initScale : scale.Item<double>();

    long GetGrowthTracker() => growthTracker == null ? initGrowthTracker : growthTracker.Item<long>();

    /// <summary>PyTorch's state_dict: scale, growth_factor, backoff_factor, growth_interval, _growth_tracker (empty when disabled).</summary>
    public Dictionary<string, object> StateDict() => !IsEnabled ? [] : new()
    {
        ["scale"] = GetScale(),
        ["growth_factor"] = GrowthFactor,
        ["backoff_factor"] = BackoffFactor,
        ["growth_interval"] = GrowthInterval,
        ["_growth_tracker"] = GetGrowthTracker(),
    };

    public void LoadStateDict(IReadOnlyDictionary<string, object> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (!IsEnabled) return;
        if (stateDict.Count == 0)
            throw new InvalidOperationException("The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.");
        initScale = Convert.ToDouble(stateDict["scale"], CultureInfo.InvariantCulture);
        GrowthFactor = Convert.ToDouble(stateDict["growth_factor"], CultureInfo.InvariantCulture);
        BackoffFactor = Convert.ToDouble(stateDict["backoff_factor"], CultureInfo.InvariantCulture);
        GrowthInterval = Convert.ToInt64(stateDict["growth_interval"], CultureInfo.InvariantCulture);
        initGrowthTracker = Convert.ToInt32(stateDict["_growth_tracker"], CultureInfo.InvariantCulture);
        if (scale != null) Backend.For(scale).Fill(scale, initScale);
        if (growthTracker != null) Backend.For(growthTracker).Fill(growthTracker, initGrowthTracker);
    }
}
