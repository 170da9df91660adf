using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PSTorch.IO;

/// <summary>
/// Writes and reads the plain values a checkpoint keeps as JSON (optimizer options and step counts, scheduler
/// state): numbers, booleans, strings, null, arrays, tuples and string-keyed maps. Values come back bit-exact:
/// doubles are written in round-trip form and always with a '.' or exponent, so they read back as doubles while
/// integers read back as longs. JSON has no NaN or infinities; those are written as the strings "NaN",
/// "Infinity" and "-Infinity" (what Python's json module spells as bare words) and read back as doubles.
/// </summary>
internal static class JsonValues
{
    public static void Write(Utf8JsonWriter json, object? value, string what)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case string s: json.WriteStringValue(s); break;
            case double d: WriteDouble(json, d); break;
            case float f: WriteDouble(json, f); break;
            case sbyte or byte or short or ushort or int or uint or long: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: json.WriteNumberValue(u); break;
            case Enum e: json.WriteStringValue(e.ToString()); break;
            case ITuple tuple:
                json.WriteStartArray();
                for (int i = 0; i < tuple.Length; i++) Write(json, tuple[i], what);
                json.WriteEndArray();
                break;
            case IDictionary map:
                json.WriteStartObject();
                foreach (DictionaryEntry kv in map)
                {
                    json.WritePropertyName(Convert.ToString(kv.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(json, kv.Value, what);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) Write(json, item, what);
                json.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"{what} holds a value of type {value.GetType().FullName}, which a checkpoint cannot store (numbers, booleans, strings, arrays and maps can be stored)");
        }
    }

    static void WriteDouble(Utf8JsonWriter json, double d)
    {
        if (double.IsNaN(d)) json.WriteStringValue("NaN");
        else if (double.IsInfinity(d)) json.WriteStringValue(d > 0 ? "Infinity" : "-Infinity");
        else
        {
            var text = d.ToString("R", CultureInfo.InvariantCulture);
            if (text.IndexOfAny(['.', 'E', 'e']) < 0) text += ".0";
            json.WriteRawValue(text);
        }
    }

    /// <summary>A JSON value as .NET values: long or double, bool, string, null, long[] / double[] / object?[], ordered map.</summary>
    public static object? Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ReadNumber(element),
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => s,
        },
        JsonValueKind.Array => ReadArray(element),
        JsonValueKind.Object => ReadObject(element),
        _ => throw new InvalidDataException($"unexpected JSON value {element.ValueKind}"),
    };

    public static Dictionary<string, object?> ReadObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"expected a JSON object, found {element.ValueKind}");
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject()) map[p.Name] = Read(p.Value);
        return map;
    }

    static object ReadNumber(JsonElement element)
    {
        var raw = element.GetRawText();
        if (raw.IndexOfAny(['.', 'E', 'e']) < 0)
        {
            if (element.TryGetInt64(out var l)) return l;
            if (element.TryGetUInt64(out var u)) return u;
        }
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    static object ReadArray(JsonElement element)
    {
        var items = element.EnumerateArray().Select(Read).ToArray();
        if (items.Length > 0 && items.All(i => i is long)) return items.Select(i => (long)i!).ToArray();
        if (items.Length > 0 && items.All(i => i is double or long)) return items.Select(i => Convert.ToDouble(i, CultureInfo.InvariantCulture)).ToArray();
        return items;
    }

    /// <summary>
    /// <paramref name="saved"/> converted to the type of <paramref name="current"/> (the live option it replaces),
    /// so that a restored optimizer holds the same kinds of values as one built from scratch (a (beta1, beta2)
    /// tuple rather than a double[]). Values that do not convert are kept as read.
    /// </summary>
    public static object? ConvertLike(object? current, object? saved)
    {
        try
        {
            return (current, saved) switch
            {
                (_, null) => null,
                (double, not (bool or string or IEnumerable)) => Convert.ToDouble(saved, CultureInfo.InvariantCulture),
                (float, not (bool or string or IEnumerable)) => (float)Convert.ToDouble(saved, CultureInfo.InvariantCulture),
                (long, long or ulong) => Convert.ToInt64(saved, CultureInfo.InvariantCulture),
                (int, long or ulong) => Convert.ToInt32(saved, CultureInfo.InvariantCulture),
                (ValueTuple<double, double>, IEnumerable e) when e.Cast<object>().ToArray() is [var a, var b]
                    => (Convert.ToDouble(a, CultureInfo.InvariantCulture), Convert.ToDouble(b, CultureInfo.InvariantCulture)),
                (double[], IEnumerable e and not string) => e.Cast<object>().Select(x => Convert.ToDouble(x, CultureInfo.InvariantCulture)).ToArray(),
                (long[], IEnumerable e and not string) => e.Cast<object>().Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray(),
                _ => saved,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            return saved;
        }
    }
}
