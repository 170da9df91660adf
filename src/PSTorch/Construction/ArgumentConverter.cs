using System.Collections;
using System.Globalization;
using System.Management.Automation;
using PSTorch.Commands;
using PSTorch.NN;

namespace PSTorch.Construction;

/// <summary>
/// Converts a value as PowerShell hands it over to the type of a constructor parameter: dtype and device names,
/// numbers into tensors (class weights), arrays into tuples (betas), and PowerShell's own conversions otherwise.
/// </summary>
internal static class ArgumentConverter
{
    public static object? Convert(object? value, Type target)
    {
        if (value is PSObject ps) value = ps.BaseObject;
        if (value is SwitchParameter s) value = s.IsPresent;
        var underlying = Nullable.GetUnderlyingType(target);
        if (value == null)
            return underlying != null || !target.IsValueType ? null : throw new ArgumentException($"a {target.Name} is required, not $null");
        target = underlying ?? target;
        if (target.IsInstanceOfType(value)) return value;
        if (target == typeof(DType) && value is string dtype) return DTypes.Parse(dtype);
        if (target == typeof(Device) && value is string device) return Device.Parse(device);
        if (target == typeof(Tensor)) return ToTensor(value);
        if (target == typeof(Parameter)) return new Parameter(ToTensor(value));
        if (target.IsGenericType && target.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal)) return ToTuple(value, target);
        if (ListItemType(target) is { } itemType) return ToArray(value, itemType);
        return LanguagePrimitives.ConvertTo(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>Numbers become a tensor of the default floating dtype: tensors passed to constructors are weights.</summary>
    static Tensor ToTensor(object value)
    {
        if (value is Tensor t) return t;
        var tensor = Torch.NewTensor(PowerShellData.Unwrap(value));
        return tensor.DType.IsFloatingPoint() ? tensor : tensor.To(Torch.GetDefaultDType());
    }

    /// <summary>T of the read-only collection interfaces an array implements (IReadOnlyList&lt;T&gt;, IEnumerable&lt;T&gt;, ...).</summary>
    static Type? ListItemType(Type target) =>
        target.IsInterface && target.IsGenericType && target.GetGenericArguments() is [var item] && item.MakeArrayType().IsAssignableTo(target) ? item : null;

    /// <summary>One value or a PowerShell array, each item converted like a single argument (scriptblocks into functions, ...).</summary>
    static Array ToArray(object value, Type itemType)
    {
        var items = value is IEnumerable e and not string && !itemType.IsInstanceOfType(value) ? e.Cast<object?>().ToArray() : [value];
        var array = Array.CreateInstance(itemType, items.Length);
        for (int i = 0; i < items.Length; i++) array.SetValue(Convert(items[i], itemType), i);
        return array;
    }

    static object ToTuple(object value, Type tupleType)
    {
        var itemTypes = tupleType.GetGenericArguments();
        var items = value is IEnumerable e and not string ? e.Cast<object?>().ToArray() : [value];
        if (items.Length != itemTypes.Length)
            throw new ArgumentException($"expected {itemTypes.Length} values, got {items.Length}");
        return Activator.CreateInstance(tupleType, items.Select((item, i) => Convert(item, itemTypes[i])).ToArray())!;
    }
}
