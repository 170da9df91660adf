using System.Collections;
using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>
/// Turns values as PowerShell hands them over (PSObject wrappers, object[], lists, ranges) into the nested
/// object[] of plain numbers that <c>Torch.Tensor(object)</c> reads.
/// </summary>
internal static class PowerShellData
{
    public static object Unwrap(object? value)
    {
        if (value is PSObject ps) value = ps.BaseObject;
        return value switch
        {
            null => throw new ArgumentException("Cannot make a tensor from a null value."),
            string s => throw new ArgumentException($"Cannot make a tensor from the string '{s}'; give numbers or booleans."),
            Tensor t => t,
            IEnumerable items => items.Cast<object?>().Select(Unwrap).ToArray(),
            _ => value,
        };
    }

    /// <summary>True when PowerShell gave an integer literal (int, long, ...), which makes an int64 tensor like a Python int.</summary>
    public static bool IsInteger(object? value) =>
        (value is PSObject ps ? ps.BaseObject : value) is sbyte or byte or short or ushort or int or uint or long or ulong;

    public static double ToDouble(object? value) =>
        LanguagePrimitives.ConvertTo<double>(value is PSObject ps ? ps.BaseObject : value);
}
