using System.Collections;

namespace PSTorch.Commands;

/// <summary>Reads a hashtable of named modules or parameters whose order matters (registration order is the model's order).</summary>
internal static class OrderedTable
{
    /// <summary>The entries in order; a plain @{} with several entries has no order, so it is refused in favour of [ordered]@{}.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary table, string what)
    {
        if (table is Hashtable && table.Count > 1)
            throw new ArgumentException($"A hashtable does not keep the order of its entries; give the {what} as [ordered]@{{ ... }}.");
        foreach (DictionaryEntry entry in table) yield return new(entry.Key?.ToString() ?? "", entry.Value);
    }
}
