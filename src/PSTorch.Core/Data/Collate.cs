using System.Collections;
using System.Runtime.CompilerServices;

namespace PSTorch.Data;

/// <summary>
/// torch.utils.data.default_collate: tensors are stacked along a new first dimension, numbers become a tensor
/// (float64 for floating values, int64 for integers, bool for booleans), strings a string[], and lists/tuples and
/// dictionaries are collated position by position / key by key.
/// </summary>
public static class Collate
{
    public static object Default(IReadOnlyList<object> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("default_collate: cannot collate an empty batch");
        var first = samples[0];
        switch (first)
        {
            case Tensor:
                return Torch.Stack(samples.Select(Cast<Tensor>).ToArray());
            case string:
                return samples.Select(Cast<string>).ToArray();
            case bool:
                return Torch.FromArray(samples.Select(Cast<bool>).ToArray());
            case float or double or decimal or Half:
                return Torch.FromArray(samples.Select(s => Convert.ToDouble(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            case sbyte or byte or short or ushort or int or uint or long:
                return Torch.FromArray(samples.Select(s => Convert.ToInt64(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            case IDictionary dictionary:
            {
                var result = new Dictionary<object, object>();
                foreach (var key in dictionary.Keys)
                    result[key] = Default(samples.Select(s => Cast<IDictionary>(s)[key] ?? throw new ArgumentException($"default_collate: key '{key}' missing from a sample")).ToArray());
                return result;
            }
            case ITuple or IList:
            {
                var columns = samples.Select(AsList).ToArray();
                int width = columns[0].Count;
                if (columns.Any(c => c.Count != width)) throw new ArgumentException("each element in list of batch should be of equal size");
                var result = new object[width];
                for (int i = 0; i < width; i++) result[i] = Default(columns.Select(c => c[i]).ToArray());
                return result;
            }
            default:
                throw new ArgumentException($"default_collate: batch must contain tensors, numbers, strings, dicts or lists; found {first?.GetType().FullName ?? "null"}");
        }
    }

    /// <summary>
    /// torch.utils.data's pin_memory: the same structure with every tensor (nested in lists and dictionaries) copied
    /// into page-locked host memory; anything else is kept as it is.
    /// </summary>
    public static object PinMemory(object data) => data switch
    {
        Tensor t => t.PinMemory(),
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => k, k => PinMemory(d[k]!)),
        object[] list => list.Select(PinMemory).ToArray(),
        _ => data,
    };

    /// <summary>Releases the tensors in samples (nested in lists and dictionaries) that <see cref="Default"/> has copied into a batch.</summary>
    internal static void ReleaseTensors(IEnumerable<object> samples)
    {
        foreach (var sample in samples)
            switch (sample)
            {
                case Tensor t: t.Dispose(); break;
                case IDictionary d: ReleaseTensors(d.Values.Cast<object>()); break;
                case ITuple or IList: ReleaseTensors(AsList(sample)); break;
            }
    }

    static IReadOnlyList<object> AsList(object sample) => sample switch
    {
        ITuple t => Enumerable.Range(0, t.Length).Select(i => t[i]!).ToArray(),
        IList l => l.Cast<object>().ToArray(),
        _ => throw new ArgumentException($"default_collate: samples of a batch differ in structure: expected a list, got {sample.GetType().Name}"),
    };

    static T Cast<T>(object sample) => sample is T t ? t
        : throw new ArgumentException($"default_collate: samples of a batch differ in structure: expected {typeof(T).Name}, got {sample?.GetType().Name ?? "null"}");
}
