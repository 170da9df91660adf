using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Reads the numbers of objects from the pipeline (training records, Import-Csv rows, hashtables) by property name.</summary>
internal static class PipelineRecords
{
    /// <summary>
    /// Property name to value for each property that holds a number (bools and strings are not numbers), in the object's
    /// property order. A hashtable's keys count as properties. With <paramref name="requested"/>, only those properties are
    /// read, strings that parse as numbers are accepted, and a missing or non-numeric one is an ArgumentException.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Numbers(object input, IReadOnlyList<string>? requested = null)
    {
        var properties = Properties(input);
        if (requested is null)
            return properties.Where(p => IsNumber(p.Value)).Select(p => KeyValuePair.Create(p.Name, Convert.ToDouble(p.Value))).ToList();
        var result = new List<KeyValuePair<string, double>>();
        foreach (var name in requested)
        {
            var match = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null) throw new ArgumentException($"The input object has no property '{name}'.");
            if (!TryNumber(match.Value, out double value)) throw new ArgumentException($"The property '{match.Name}' is not a number: '{match.Value}'.");
            result.Add(KeyValuePair.Create(match.Name, value));
        }
        return result;
    }

    static List<(string Name, object? Value)> Properties(object input)
    {
        var value = input is PSObject ps ? ps.BaseObject : input;
        if (value is System.Collections.IDictionary dictionary)
            return dictionary.Keys.Cast<object>().Select(k => (k.ToString()!, Unwrap(dictionary[k]))).ToList();
        return PSObject.AsPSObject(input).Properties
            .Where(p => p.IsGettable)
            .Select(p => (p.Name, Unwrap(SafeValue(p))))
            .ToList();
    }

    static object? SafeValue(PSPropertyInfo property)
    {
        try { return property.Value; }
        catch (GetValueException) { return null; }
    }

    static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    static bool IsNumber(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

    static bool TryNumber(object? value, out double number)
    {
        if (IsNumber(value))
        {
            number = Convert.ToDouble(value);
            return true;
        }
        return double.TryParse(value as string, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out number);
    }
}
