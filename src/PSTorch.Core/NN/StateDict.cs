using System.Collections;

namespace PSTorch.NN;

/// <summary>An ordered name -> tensor map (the OrderedDict a PyTorch state_dict is).</summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>
{
    readonly Dictionary<string, Tensor> map = [];
    readonly List<string> order = [];

    public Tensor this[string key]
    {
        get => map.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"'{key}' is not in the state dict");
        set
        {
            if (!map.ContainsKey(key)) order.Add(key);
            map[key] = value;
        }
    }

    public void Add(string key, Tensor value)
    {
        if (map.ContainsKey(key)) throw new ArgumentException($"'{key}' is already in the state dict");
        this[key] = value;
    }

    public bool Remove(string key) => map.Remove(key) && order.Remove(key);

    public int Count => order.Count;
    public IEnumerable<string> Keys => order;
    public IEnumerable<Tensor> Values => order.Select(k => map[k]);
    public bool ContainsKey(string key) => map.ContainsKey(key);
    public bool TryGetValue(string key, out Tensor value) => map.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => order.Select(k => new KeyValuePair<string, Tensor>(k, map[k])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
