using System.Text;

namespace PSTorch.NN;

/// <summary>Parameters by name, in insertion order (torch.nn.ParameterDict).</summary>
public class ParameterDict : Module
{
    public ParameterDict() { }

    public ParameterDict(IEnumerable<KeyValuePair<string, Parameter>> parameters)
    {
        foreach (var kv in parameters) RegisterParameter(kv.Key, kv.Value);
    }

    public Parameter this[string key]
    {
        get => NamedParametersDirect().FirstOrDefault(p => p.Name == key).Parameter ?? throw new KeyNotFoundException($"'{key}' is not in the ParameterDict");
        set => RegisterParameter(key, value);
    }

    public bool ContainsKey(string key) => NamedParametersDirect().Any(p => p.Name == key);
    public int Count => NamedParametersDirect().Count();
    public IEnumerable<string> Keys => NamedParametersDirect().Select(p => p.Name);

    public override string ToString()
    {
        var sb = new StringBuilder("ParameterDict(");
        foreach (var (name, p) in NamedParametersDirect()) sb.Append($"\n    ({name}): {p.Summary()}");
        return sb.Append(Count > 0 ? "\n)" : ")").ToString();
    }
}
