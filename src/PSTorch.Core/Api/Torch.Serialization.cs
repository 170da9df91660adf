using System.Collections;
using System.Globalization;
using System.Text.Json;
using PSTorch.IO;
using PSTorch.NN;

namespace PSTorch;

/// <summary>
/// torch.save / torch.load for tensors, lists of tensors and dictionaries of tensors, in the safetensors format
/// (never pickle: loading executes nothing). What was saved is recorded in the metadata ("pstorch.kind": tensor,
/// list or dict, and for a dict its key order, since the format orders tensors by dtype and name), so Load
/// returns the same shape of thing. A safetensors file written elsewhere loads as a dictionary.
/// </summary>
public static partial class Torch
{
    const string KindKey = "pstorch.kind", KeysKey = "pstorch.keys", SingleTensorName = "tensor";

    /// <summary>
    /// Saves a Tensor, a list of tensors (any IEnumerable of tensors) or a dictionary of tensors (StateDict,
    /// IReadOnlyDictionary&lt;string, Tensor&gt; or an IDictionary with string keys) to <paramref name="path"/>,
    /// atomically (see SafeTensors.Save).
    /// </summary>
    public static void Save(object value, string path)
    {
        var (kind, tensors) = SerializationShape(value);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt", [KindKey] = kind };
        if (kind == "dict") metadata[KeysKey] = JsonSerializer.Serialize(tensors.Select(kv => kv.Key).ToArray());
        SafeTensors.Save(path, tensors, metadata);
    }

    static (string Kind, List<KeyValuePair<string, Tensor>> Tensors) SerializationShape(object value)
    {
        switch (value)
        {
            case Tensor t:
                return ("tensor", [new(SingleTensorName, t)]);
            case IReadOnlyDictionary<string, Tensor> typed:
                return ("dict", typed.ToList());
            case IDictionary map:
                var entries = new List<KeyValuePair<string, Tensor>>();
                foreach (DictionaryEntry kv in map)
                {
                    if (kv.Key is not string key) throw new ArgumentException($"Torch.Save needs string keys, got a key of type {kv.Key.GetType().Name}");
                    if (kv.Value is not Tensor t) throw new ArgumentException($"Torch.Save stores tensors only, but '{key}' is {kv.Value?.GetType().Name ?? "null"}");
                    entries.Add(new(key, t));
                }
                return ("dict", entries);
            case IEnumerable items and not string:
                var list = new List<KeyValuePair<string, Tensor>>();
                foreach (var item in items)
                {
                    if (item is not Tensor t) throw new ArgumentException($"Torch.Save stores tensors only, but item {list.Count} is {item?.GetType().Name ?? "null"}");
                    list.Add(new(list.Count.ToString(CultureInfo.InvariantCulture), t));
                }
                return ("list", list);
            default:
                throw new ArgumentException($"Torch.Save stores a tensor, a list of tensors or a dictionary of tensors, not {value?.GetType().Name ?? "null"}");
        }
    }

    /// <summary>
    /// Loads what <see cref="Save"/> wrote: a Tensor, a Tensor[] or a StateDict (ordered name -&gt; tensor), on
    /// <paramref name="device"/> if given. Files without PSTorch's "pstorch.kind" load as a StateDict in file order.
    /// </summary>
    public static object Load(string path, Device? device = null)
    {
        var contents = SafeTensors.Load(path, device);
        var byName = contents.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        contents.Metadata.TryGetValue(KindKey, out var kind);
        switch (kind)
        {
            case "tensor":
                if (contents.Tensors is not [{ Key: SingleTensorName, Value: var single }])
                    throw Corrupt(path, $"it is marked as one tensor but holds {contents.Tensors.Count} tensor(s){(contents.Tensors.Count == 1 ? $" named '{contents.Tensors[0].Key}'" : "")}");
                return single;
            case "list":
                var items = new Tensor[byName.Count];
                for (int i = 0; i < items.Length; i++)
                    items[i] = byName.TryGetValue(i.ToString(CultureInfo.InvariantCulture), out var t) ? t
                        : throw Corrupt(path, $"it is marked as a list of {items.Length} tensors but has no tensor named '{i}'");
                return items;
            case "dict":
                string[] keys;
                try { keys = JsonSerializer.Deserialize<string[]>(contents.Metadata.TryGetValue(KeysKey, out var k) ? k : "null") ?? throw Corrupt(path, $"it is marked as a dictionary but has no \"{KeysKey}\" metadata"); }
                catch (JsonException e) { throw Corrupt(path, $"its \"{KeysKey}\" metadata is not a JSON array of names ({e.Message})"); }
                if (keys.Length != byName.Count || keys.Any(key => !byName.ContainsKey(key)))
                    throw Corrupt(path, $"its \"{KeysKey}\" metadata does not list exactly the tensors the file holds");
                var ordered = new StateDict();
                foreach (var key in keys) ordered.Add(key, byName[key]);
                return ordered;
            case null:
                var dict = new StateDict();
                foreach (var (name, tensor) in contents.Tensors) dict.Add(name, tensor);
                return dict;
            default:
                throw Corrupt(path, $"its \"{KindKey}\" is '{kind}', not tensor, list or dict");
        }
    }

    static InvalidDataException Corrupt(string path, string problem) => new($"'{path}' is not a valid PSTorch tensor file: {problem}");
}
