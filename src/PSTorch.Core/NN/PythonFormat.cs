using System.Globalization;

namespace PSTorch.NN;

/// <summary>Python's repr of the numbers that appear in layer reprs.</summary>
internal static class PythonFormat
{
    /// <summary>repr(float): shortest round-trip digits, "1e-05" style exponents, a ".0" on whole numbers.</summary>
    public static string Float(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
        return s.Contains('.') || s.Contains('e') || s.Contains("Inf") || s.Contains("NaN") ? s : s + ".0";
    }

    public static string Bool(bool value) => value ? "True" : "False";
}
