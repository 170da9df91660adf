using System.Globalization;
using System.Text;
using System.Text.Json;
using PSTorch.Amp;
using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.IO;

/// <summary>
/// A training checkpoint: the model's state dict, the optimizer's and scheduler's state, the epoch, the default
/// generator's state and user metadata, kept as one .safetensors file. Model tensors are stored as
/// "model.&lt;name&gt;", optimizer state tensors as "optimizer.state.&lt;paramIndex&gt;.&lt;key&gt;"; everything else is
/// JSON in the header's __metadata__ ("format", "pstorch.version", "epoch", "optimizer", "scheduler", "scaler", "rng" and
/// the user's keys). Values round-trip bit-exactly, so training k epochs, saving, loading into fresh objects and
/// training on gives the same numbers as training without the interruption. Loading parses data only; nothing in
/// a file is ever executed.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The "format" metadata value that marks a PSTorch checkpoint.</summary>
    public const string FormatName = "pstorch.checkpoint";

    const string ModelPrefix = "model.";
    const string OptimizerStatePrefix = "optimizer.state.";

    /// <summary>Metadata keys the checkpoint itself writes; user metadata may not use them.</summary>
    public static IReadOnlyList<string> ReservedMetadataKeys { get; } = ["format", "pstorch.version", "epoch", "optimizer", "scheduler", "scaler", "rng"];

    Checkpoint(StateDict model, OptimizerStateDict? optimizer, string? optimizerType, IReadOnlyDictionary<string, object>? scheduler,
        string? schedulerType, IReadOnlyDictionary<string, object>? scaler, long epoch, byte[]? rngState, IReadOnlyDictionary<string, string> metadata, string? path)
    {
        Scaler = scaler;
        Model = model;
        Optimizer = optimizer;
        OptimizerType = optimizerType;
        Scheduler = scheduler;
        SchedulerType = schedulerType;
        Epoch = epoch;
        RngState = rngState;
        Metadata = metadata;
        Path = path;
    }

    /// <summary>The model's parameters and persistent buffers (saved as model.&lt;name&gt;).</summary>
    public StateDict Model { get; }

    /// <summary>The optimizer's state dict (per-parameter state by parameter index, and the parameter groups' options).</summary>
    public OptimizerStateDict? Optimizer { get; }

    /// <summary>The optimizer's class name (SGD, Adam, ...), checked when restoring.</summary>
    public string? OptimizerType { get; }

    /// <summary>The learning-rate scheduler's state dict (LRScheduler.StateDict()).</summary>
    public IReadOnlyDictionary<string, object>? Scheduler { get; }

    /// <summary>The scheduler's class name (StepLR, OneCycleLR, ...), checked when restoring.</summary>
    public string? SchedulerType { get; }

    /// <summary>The gradient scaler's state dict (GradScaler.StateDict(): scale, growth tracker and factors) for mixed precision.</summary>
    public IReadOnlyDictionary<string, object>? Scaler { get; }

    public long Epoch { get; }

    /// <summary>Torch.DefaultGenerator's state when the checkpoint was captured.</summary>
    public byte[]? RngState { get; }

    /// <summary>User and trainer metadata (string values; a trainer stores JSON strings here).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file this checkpoint was last saved to or loaded from.</summary>
    public string? Path { get; private set; }

    /// <summary>How many tensors the file holds: model tensors plus optimizer state tensors.</summary>
    public int TensorCount => Model.Count + (Optimizer?.State.Values.Sum(s => s.Values.Sum(v => v switch { Tensor => 1, Tensor[] list => list.Length, _ => 0 })) ?? 0);

    /// <summary>
    /// Takes a snapshot of the training state: tensors are cloned, so later training steps do not change it.
    /// </summary>
    public static Checkpoint Capture(Module model, Optimizer? optimizer = null, LRScheduler? scheduler = null, long epoch = 0,
        IReadOnlyDictionary<string, string>? metadata = null, GradScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var userMetadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (ReservedMetadataKeys.Contains(key))
                throw new ArgumentException($"metadata key '{key}' is reserved for the checkpoint itself ({string.Join(", ", ReservedMetadataKeys)})", nameof(metadata));
            userMetadata[key] = value ?? throw new ArgumentException($"metadata value '{key}' is null", nameof(metadata));
        }

        var state = new StateDict();
        foreach (var (name, tensor) in model.StateDict()) state[name] = tensor.Clone();

        // Non-tensor optimizer and scheduler values go through their JSON form right away: the snapshot holds
        // exactly what a saved file would give back, and a value that cannot be stored fails here, before any file.
        OptimizerStateDict? optimizerState = null;
        if (optimizer != null)
        {
            var live = optimizer.StateDict();
            optimizerState = ParseOptimizer(OptimizerJson(optimizer.GetType().Name, live), TensorStateOf(live)).State;
        }
        IReadOnlyDictionary<string, object>? schedulerState = null;
        if (scheduler != null) schedulerState = ParseScheduler(SchedulerJson(scheduler.GetType().Name, scheduler.StateDict())).State;
        // a disabled scaler has an empty state dict, which it could not load again
        var scalerState = scaler is { IsEnabled: true } ? ParseScaler(ScalerJson(scaler.StateDict())) : null;

        return new Checkpoint(state, optimizerState, optimizer?.GetType().Name, schedulerState, scheduler?.GetType().Name, scalerState, epoch,
            Torch.DefaultGenerator.GetState(), userMetadata, null);
    }

    /// <summary>
    /// Writes the checkpoint atomically: to a temporary file in the same folder, flushed, then renamed over
    /// <paramref name="path"/>, so an interruption leaves the previous file whole.
    /// </summary>
    public void Save(string path)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, tensor) in Model) tensors.Add(new(ModelPrefix + name, tensor));
        if (Optimizer != null)
            foreach (var (index, state) in Optimizer.State.OrderBy(kv => kv.Key))
                foreach (var (key, value) in state)
                    foreach (var (name, t) in StateTensors(key, value))
                        tensors.Add(new($"{OptimizerStatePrefix}{index.ToString(CultureInfo.InvariantCulture)}.{name}", t));

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["pstorch.version"] = typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
        };
        if (Optimizer != null) metadata["optimizer"] = OptimizerJson(OptimizerType ?? "", Optimizer);
        if (Scheduler != null) metadata["scheduler"] = SchedulerJson(SchedulerType ?? "", Scheduler);
        if (Scaler != null) metadata["scaler"] = ScalerJson(Scaler);
        if (RngState != null) metadata["rng"] = Convert.ToBase64String(RngState);
        foreach (var (key, value) in Metadata) metadata[key] = value;

        SafeTensors.Save(path, tensors, metadata);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/>; <paramref name="device"/> is where the tensors go
    /// (PyTorch's map_location; the file's device otherwise is the CPU). Corrupt or foreign files raise
    /// InvalidDataException naming the file and the problem.
    /// </summary>
    public static Checkpoint Load(string path, Device? device = null)
    {
        var contents = SafeTensors.Load(path, device);
        try { return FromContents(contents, path); }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or OverflowException)
        {
            throw new InvalidDataException($"'{path}' is not a valid PSTorch checkpoint: {e.Message}", e);
        }
    }

    static Checkpoint FromContents(SafeTensors.Contents contents, string path)
    {
        var meta = contents.Metadata;
        if (!meta.TryGetValue("format", out var format) || format != FormatName)
            throw new InvalidDataException($"its metadata has no \"format\": \"{FormatName}\" entry (a plain tensor file reads with Import-Tensor / Torch.Load)");
        if (!meta.TryGetValue("epoch", out var epochText) || !long.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
            throw new InvalidDataException("its \"epoch\" metadata is missing or not an integer");

        var model = new StateDict();
        var optimizerTensors = new Dictionary<long, Dictionary<string, Tensor>>();
        foreach (var (name, tensor) in contents.Tensors)
        {
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[name[ModelPrefix.Length..]] = tensor;
            else if (name.StartsWith(OptimizerStatePrefix, StringComparison.Ordinal)
                && name[OptimizerStatePrefix.Length..].Split('.', 2) is [var indexText, var key]
                && long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (!optimizerTensors.TryGetValue(index, out var s)) optimizerTensors[index] = s = [];
                s[key] = tensor;
            }
            else throw new InvalidDataException($"tensor '{name}' is neither a model tensor (model.*) nor optimizer state (optimizer.state.<index>.<key>)");
        }

        string? optimizerType = null, schedulerType = null;
        OptimizerStateDict? optimizer = null;
        IReadOnlyDictionary<string, object>? scheduler = null;
        if (meta.TryGetValue("optimizer", out var optimizerJson)) (optimizerType, optimizer) = ParseOptimizer(optimizerJson, optimizerTensors);
        else if (optimizerTensors.Count > 0) throw new InvalidDataException("it holds optimizer state tensors but no \"optimizer\" metadata");
        if (meta.TryGetValue("scheduler", out var schedulerJson)) (schedulerType, scheduler) = ParseScheduler(schedulerJson);
        var scaler = meta.TryGetValue("scaler", out var scalerJson) ? ParseScaler(scalerJson) : null;
        byte[]? rng = null;
        if (meta.TryGetValue("rng", out var rngText))
        {
            try { rng = Convert.FromBase64String(rngText); }
            catch (FormatException) { throw new InvalidDataException("its \"rng\" metadata is not base64"); }
        }

        var user = meta.Where(kv => !ReservedMetadataKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new Checkpoint(model, optimizer, optimizerType, scheduler, schedulerType, scaler, epoch, rng, user, System.IO.Path.GetFullPath(path));
    }

    /// <summary>
    /// Loads the state into <paramref name="model"/> (and the optimizer, scheduler, gradient scaler and default generator when
    /// given / asked). Strict loading requires the model's keys to match exactly and names the missing,
    /// unexpected and mis-shaped keys otherwise; non-strict loading returns the missing and unexpected keys.
    /// Everything is checked before anything is changed, except what only Module.LoadStateDict can check.
    /// </summary>
    public LoadStateDictResult Restore(Module model, Optimizer? optimizer = null, LRScheduler? scheduler = null, bool strict = true, bool restoreRng = true,
        GradScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (scaler is { IsEnabled: true } && Scaler == null) throw new InvalidOperationException($"{Describe()} holds no gradient scaler state to load into the GradScaler");
        if (optimizer != null) CheckOptimizerFits(optimizer);
        if (scheduler != null)
        {
            if (Scheduler == null) throw new InvalidOperationException($"{Describe()} holds no scheduler state to load into {scheduler.GetType().Name}");
            if (SchedulerType != null && SchedulerType != scheduler.GetType().Name)
                throw new InvalidOperationException($"{Describe()} holds {SchedulerType} state, which cannot be loaded into a {scheduler.GetType().Name}");
        }

        LoadStateDictResult result;
        try { result = model.LoadStateDict(Model, strict); }
        catch (InvalidOperationException e) when (Path != null)
        {
            throw new InvalidOperationException($"{Describe()} does not fit the model. {e.Message}", e);
        }
        if (optimizer != null) optimizer.LoadStateDict(ConvertedLike(optimizer));
        scheduler?.LoadStateDict(Scheduler!);
        if (Scaler != null) scaler?.LoadStateDict(Scaler);
        if (restoreRng && RngState != null) Torch.DefaultGenerator.SetState(RngState);
        return result;
    }

    string Describe() => Path != null ? $"the checkpoint '{Path}'" : "the checkpoint";

    void CheckOptimizerFits(Optimizer optimizer)
    {
        var name = optimizer.GetType().Name;
        if (Optimizer == null) throw new InvalidOperationException($"{Describe()} holds no optimizer state to load into {name}");
        if (OptimizerType != null && OptimizerType != name)
            throw new InvalidOperationException($"{Describe()} holds {OptimizerType} state, which cannot be loaded into a {name}");
        if (Optimizer.ParamGroups.Count != optimizer.ParamGroups.Count)
            throw new InvalidOperationException($"{Describe()} has {Optimizer.ParamGroups.Count} parameter group(s) but the {name} has {optimizer.ParamGroups.Count}");
        for (int i = 0; i < optimizer.ParamGroups.Count; i++)
        {
            int saved = Optimizer.ParamGroups[i].TryGetValue("params", out var ids) && ids is System.Collections.IEnumerable e ? e.Cast<object>().Count() : 0;
            if (saved != optimizer.ParamGroups[i].Params.Count)
                throw new InvalidOperationException($"{Describe()} has {saved} parameter(s) in group {i} but the {name} has {optimizer.ParamGroups[i].Params.Count}");
        }
    }

    /// <summary>The saved optimizer state with each option converted to the type of the live option it replaces.</summary>
    OptimizerStateDict ConvertedLike(Optimizer optimizer)
    {
        var groups = new List<Dictionary<string, object>>();
        for (int i = 0; i < Optimizer!.ParamGroups.Count; i++)
        {
            var live = optimizer.ParamGroups[i];
            groups.Add(Optimizer.ParamGroups[i].ToDictionary(kv => kv.Key,
                kv => kv.Key != "params" && live.ContainsOption(kv.Key) ? JsonValues.ConvertLike(live[kv.Key], kv.Value)! : kv.Value));
        }
        return new OptimizerStateDict(Optimizer.State, groups);
    }

    // ---------------------------------------------------------------- JSON forms

    static Dictionary<long, Dictionary<string, Tensor>> TensorStateOf(OptimizerStateDict state) =>
        state.State.ToDictionary(kv => kv.Key, kv => kv.Value.SelectMany(v => StateTensors(v.Key, v.Value)).ToDictionary(t => t.Name, t => t.Tensor));

    /// <summary>
    /// The tensors one optimizer state value stores under its key: a tensor as "key", a list of tensors (LBFGS's
    /// history) as "key.0", "key.1", ..., with the list's length in the JSON (<see cref="TensorListKey"/>).
    /// </summary>
    static IEnumerable<(string Name, Tensor Tensor)> StateTensors(string key, object value) => value switch
    {
        Tensor t => [(key, t)],
        Tensor[] list => list.Select((t, i) => ($"{key}.{i.ToString(CultureInfo.InvariantCulture)}", t)),
        _ => [],
    };

    /// <summary>The JSON stand-in for a list of tensors in the optimizer state: {"tensor_list": length}.</summary>
    const string TensorListKey = "tensor_list";

    static string OptimizerJson(string type, OptimizerStateDict state) => WriteJson(json =>
    {
        json.WriteString("type", type);
        json.WriteStartArray("param_groups");
        for (int i = 0; i < state.ParamGroups.Count; i++)
            JsonValues.Write(json, state.ParamGroups[i], $"optimizer param_groups[{i}]");
        json.WriteEndArray();
        json.WriteStartObject("state");
        foreach (var (index, values) in state.State.OrderBy(kv => kv.Key))
        {
            json.WriteStartObject(index.ToString(CultureInfo.InvariantCulture));
            foreach (var (key, value) in values)
            {
                if (value is Tensor) continue;
                json.WritePropertyName(key);
                if (value is Tensor[] list)
                {
                    json.WriteStartObject();
                    json.WriteNumber(TensorListKey, list.Length);
                    json.WriteEndObject();
                }
                else JsonValues.Write(json, value, $"optimizer state '{key}' of parameter {index}");
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    });

    static string SchedulerJson(string type, IReadOnlyDictionary<string, object> state) => WriteJson(json =>
    {
        json.WriteString("type", type);
        json.WritePropertyName("state");
        JsonValues.Write(json, state.ToDictionary(kv => kv.Key, kv => kv.Value), "scheduler state");
    });

    static string ScalerJson(IReadOnlyDictionary<string, object> state) => WriteJson(json =>
    {
        foreach (var (key, value) in state)
        {
            json.WritePropertyName(key);
            JsonValues.Write(json, value, $"gradient scaler state '{key}'");
        }
    });

    static IReadOnlyDictionary<string, object> ParseScaler(string text)
    {
        using var doc = ParseJson(text, "scaler");
        return JsonValues.ReadObject(doc.RootElement).ToDictionary(kv => kv.Key, kv => kv.Value ?? throw new InvalidDataException($"the \"scaler\" metadata value '{kv.Key}' is null"));
    }

    static string WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    static (string Type, OptimizerStateDict State) ParseOptimizer(string text, Dictionary<long, Dictionary<string, Tensor>> tensors)
    {
        using var doc = ParseJson(text, "optimizer");
        var root = doc.RootElement;
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new InvalidDataException("the \"optimizer\" metadata has no \"type\"");
        if (!root.TryGetProperty("param_groups", out var groupsJson) || groupsJson.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("the \"optimizer\" metadata has no \"param_groups\" array");
        var groups = groupsJson.EnumerateArray().Select(g => JsonValues.ReadObject(g).ToDictionary(kv => kv.Key, kv => kv.Value!)).ToList();

        var state = new Dictionary<long, Dictionary<string, object>>();
        if (root.TryGetProperty("state", out var stateJson))
            foreach (var (indexText, values) in JsonValues.ReadObject(stateJson))
            {
                if (!long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    throw new InvalidDataException($"the optimizer state has a non-numeric parameter index '{indexText}'");
                state[index] = (values as Dictionary<string, object?> ?? throw new InvalidDataException($"the optimizer state of parameter {index} is not an object"))
                    .ToDictionary(kv => kv.Key, kv => kv.Value!);
            }
        var listed = new HashSet<(long, string)>();
        foreach (var (index, s) in state)
            foreach (var (key, value) in s.ToList())
            {
                if (value is not Dictionary<string, object?> { Count: 1 } marker || !marker.TryGetValue(TensorListKey, out var length) || length is not long n) continue;
                var list = new Tensor[n];
                for (int i = 0; i < n; i++)
                {
                    var name = $"{key}.{i.ToString(CultureInfo.InvariantCulture)}";
                    list[i] = tensors.GetValueOrDefault(index)?.GetValueOrDefault(name)
                        ?? throw new InvalidDataException($"the optimizer state '{key}' of parameter {index} lists {n} tensors but tensor {i} is missing");
                    listed.Add((index, name));
                }
                s[key] = list;
            }
        foreach (var (index, values) in tensors)
        {
            if (!state.TryGetValue(index, out var s)) state[index] = s = [];
            foreach (var (key, tensor) in values)
                if (!listed.Contains((index, key))) s[key] = tensor;
        }
        return (type, new OptimizerStateDict(state, groups));
    }

    static (string Type, IReadOnlyDictionary<string, object> State) ParseScheduler(string text)
    {
        using var doc = ParseJson(text, "scheduler");
        var root = doc.RootElement;
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new InvalidDataException("the \"scheduler\" metadata has no \"type\"");
        if (!root.TryGetProperty("state", out var state)) throw new InvalidDataException("the \"scheduler\" metadata has no \"state\"");
        return (type, JsonValues.ReadObject(state).ToDictionary(kv => kv.Key, kv => kv.Value!));
    }

    static JsonDocument ParseJson(string text, string key)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new InvalidDataException($"the \"{key}\" metadata is not valid JSON ({e.Message})"); }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new InvalidDataException($"the \"{key}\" metadata is not a JSON object");
        }
        return doc;
    }
}
