using System.Collections;
using System.Runtime.CompilerServices;

namespace PSTorch.Data;

/// <summary>
/// A description of a sample's nesting (tensor dtype and rank, numbers, strings, lists and dictionaries) used to check
/// that datasets joined in a ConcatDataset produce samples the same collate can combine.
/// </summary>
public static class SampleStructure
{
    public static string Describe(object? sample) => sample switch
    {
        null => "null",
        Tensor t => $"Tensor({t.DType.Name()}, {t.NDim}-d)",
        string => "string",
        bool => "bool",
        float or double or decimal or Half => "float",
        sbyte or byte or short or ushort or int or uint or long or ulong => "int",
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => k.ToString()).Order(StringComparer.Ordinal).Select(k => $"{k}: {Describe(d[k!])}")) + "}",
        ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Describe(tuple[i]))) + ")",
        IList list => "(" + string.Join(", ", list.Cast<object?>().Select(Describe)) + ")",
        _ => sample.GetType().Name,
    };
}
