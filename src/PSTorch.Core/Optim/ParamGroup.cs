namespace PSTorch.Optim;

/// <summary>
/// A group of parameters with its own options (lr, momentum, weight_decay, ...). Options are read at every
/// step, so editing them (e.g. <c>$opt.ParamGroups[0]['lr'] = 0.01</c>) changes the next step.
/// </summary>
public sealed class ParamGroup
{
    readonly Dictionary<string, object> options = new(StringComparer.Ordinal);

    public ParamGroup(IEnumerable<NN.Parameter> parameters, IReadOnlyDictionary<string, object>? options = null)
    {
        Params = parameters.ToList();
        if (options != null) foreach (var kv in options) this.options[kv.Key] = kv.Value;
    }

    public List<NN.Parameter> Params { get; }

    /// <summary>An option by PyTorch's name ("lr", "betas", "weight_decay", ...).</summary>
    public object this[string option]
    {
        get => options.TryGetValue(option, out var v) ? v : throw new KeyNotFoundException($"param group has no option '{option}'");
        set => options[option] = value;
    }

    public double LearningRate
    {
        get => GetDouble("lr");
        set => options["lr"] = value;
    }

    public IReadOnlyDictionary<string, object> Options => options;

    public bool ContainsOption(string option) => options.ContainsKey(option);

    internal void SetDefault(string option, object value) => options.TryAdd(option, value);

    public double GetDouble(string option) => System.Convert.ToDouble(this[option], System.Globalization.CultureInfo.InvariantCulture);

    public bool GetBool(string option) => System.Convert.ToBoolean(this[option], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A two-value option such as betas, given as an array or tuple.</summary>
    public (double, double) GetPair(string option) => this[option] switch
    {
        ValueTuple<double, double> t => t,
        double[] a when a.Length == 2 => (a[0], a[1]),
        object[] o when o.Length == 2 => (System.Convert.ToDouble(o[0]), System.Convert.ToDouble(o[1])),
        var v => throw new ArgumentException($"option '{option}' must be a pair of numbers, not {v}"),
    };
}
