using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.ExceptionServices;
using PSTorch.Completion;

namespace PSTorch.Construction;

/// <summary>A constructor argument the cmdlet fills from one of its own parameters (the optimizer's parameters, -LearningRate, ...).</summary>
/// <param name="Names">The constructor parameter names it may fill, in any spelling (params, parameters).</param>
internal sealed record SuppliedArgument(string[] Names, object? Value);

/// <summary>
/// Builds an engine type from PowerShell arguments by calling its public constructor: positional values in the
/// constructor's order, named values matched to constructor parameters by name (any spelling, see <see cref="OptionNames"/>).
/// The same constructor parameters become the cmdlets' dynamic parameters, so they tab-complete.
/// </summary>
internal static class ConstructorBinder
{
    static ConstructorInfo[] Constructors(Type type) => type.GetConstructors().OrderBy(c => c.MetadataToken).ToArray();

    /// <summary>One dynamic parameter per constructor parameter (across overloads) not filled by the cmdlet and not clashing with its own names.</summary>
    public static RuntimeDefinedParameterDictionary DynamicParameters(Type type, IEnumerable<string> supplied, IEnumerable<string> reserved)
    {
        var taken = new HashSet<string>(reserved.Concat(Cmdlet.CommonParameters).Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
        var suppliedNames = supplied.Select(OptionNames.Normalize).ToHashSet();
        var result = new RuntimeDefinedParameterDictionary();
        foreach (var p in Constructors(type).SelectMany(c => c.GetParameters()))
        {
            var name = OptionNames.Pascal(p.Name!);
            var snake = OptionNames.Snake(p.Name!);
            if (suppliedNames.Contains(OptionNames.Normalize(name)) || taken.Contains(name) || taken.Contains(snake) || result.ContainsKey(name)) continue;
            var attributes = new Collection<Attribute> { new ParameterAttribute() };
            if (!snake.Equals(name, StringComparison.OrdinalIgnoreCase)) attributes.Add(new AliasAttribute(snake));
            var valueType = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (valueType == typeof(DType)) attributes.Add(new ArgumentCompleterAttribute(typeof(DTypeCompleter)));
            if (valueType == typeof(Device)) attributes.Add(new ArgumentCompleterAttribute(typeof(DeviceCompleter)));
            result.Add(name, new RuntimeDefinedParameter(name, valueType == typeof(bool) ? typeof(SwitchParameter) : typeof(object), attributes));
        }
        return result;
    }

    /// <summary>
    /// Calls the first public constructor (in declaration order) that takes every supplied and named argument
    /// and the positional ones; throws ArgumentException saying why none fits.
    /// </summary>
    public static object Construct(Type type, IReadOnlyList<SuppliedArgument> supplied, IReadOnlyList<object?> positional,
        IReadOnlyList<KeyValuePair<string, object?>> named)
    {
        var reasons = new List<string>();
        foreach (var ctor in Constructors(type))
        {
            var args = TryBind(ctor, supplied, positional, named, out var reason);
            if (args == null)
            {
                reasons.Add(reason!);
                continue;
            }
            try
            {
                return ctor.Invoke(args);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }
        var signatures = string.Join("; ", Constructors(type).Select(Signature));
        throw new ArgumentException($"{type.Name}: {string.Join(" / ", reasons.Distinct())}. {type.Name} takes ({signatures}).");
    }

    static object?[]? TryBind(ConstructorInfo ctor, IReadOnlyList<SuppliedArgument> supplied, IReadOnlyList<object?> positional,
        IReadOnlyList<KeyValuePair<string, object?>> named, out string? reason)
    {
        var ps = ctor.GetParameters();
        var args = new object?[ps.Length];
        var filled = new bool[ps.Length];
        int IndexOf(string name) => Array.FindIndex(ps, p => OptionNames.Same(p.Name!, name));

        foreach (var s in supplied)
        {
            int i = Array.FindIndex(ps, p => s.Names.Any(n => OptionNames.Same(p.Name!, n)));
            if (i < 0)
            {
                if (s.Value == null) continue;
                reason = $"no parameter {OptionNames.Snake(s.Names[0])}";
                return null;
            }
            if (s.Value == null) continue;
            // Supplied values come typed from the cmdlet; an overload taking another type is not the one meant.
            if (!ps[i].ParameterType.IsInstanceOfType(s.Value))
            {
                reason = $"{OptionNames.Snake(ps[i].Name!)} is not a {TypeName(s.Value.GetType())}";
                return null;
            }
            args[i] = s.Value;
            filled[i] = true;
        }
        foreach (var (name, value) in named)
        {
            int i = IndexOf(name);
            if (i < 0)
            {
                reason = $"no parameter '{name}'";
                return null;
            }
            if (filled[i])
            {
                reason = $"{OptionNames.Snake(ps[i].Name!)} given twice";
                return null;
            }
            if (!TryConvert(value, ps[i], out args[i], out reason)) return null;
            filled[i] = true;
        }
        var open = Enumerable.Range(0, ps.Length).Where(i => !filled[i]).ToList();
        bool hasParamArray = ps.Length > 0 && ps[^1].IsDefined(typeof(ParamArrayAttribute)) && !filled[^1];
        int single = hasParamArray ? open.Count - 1 : open.Count;
        if (positional.Count > single && !hasParamArray)
        {
            reason = $"takes {single} positional argument(s) ({string.Join(", ", open.Select(i => OptionNames.Snake(ps[i].Name!)))}), got {positional.Count}";
            return null;
        }
        for (int k = 0; k < Math.Min(positional.Count, single); k++)
        {
            if (!TryConvert(positional[k], ps[open[k]], out args[open[k]], out reason)) return null;
            filled[open[k]] = true;
        }
        if (hasParamArray)
        {
            // The rest fill the params array, given either as separate values or as one array.
            var rest = positional.Skip(single).ToArray();
            object? items = rest.Length == 1 ? rest[0] : rest;
            if (!TryConvert(items, ps[^1], out args[^1], out reason)) return null;
            filled[^1] = true;
        }
        var missing = Enumerable.Range(0, ps.Length).Where(i => !filled[i] && !ps[i].HasDefaultValue).Select(i => OptionNames.Snake(ps[i].Name!)).ToList();
        if (missing.Count > 0)
        {
            reason = $"missing required argument(s): {string.Join(", ", missing)}";
            return null;
        }
        for (int i = 0; i < ps.Length; i++)
            if (!filled[i]) args[i] = ps[i].DefaultValue is DBNull or Missing ? null : ps[i].DefaultValue;
        reason = null;
        return args;
    }

    /// <summary>Converts one argument; a value this overload's parameter cannot take makes the overload not fit, so the next one is tried.</summary>
    static bool TryConvert(object? value, ParameterInfo p, out object? converted, out string? reason)
    {
        try
        {
            converted = ArgumentConverter.Convert(value, p.ParameterType);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException)
        {
            converted = null;
            reason = $"Cannot use {Describe(value)} as {OptionNames.Snake(p.Name!)} ({TypeName(p.ParameterType)}): {e.Message}";
            return false;
        }
    }

    static string Describe(object? value) => value is PSObject ps ? Describe(ps.BaseObject) : value == null ? "$null" : $"'{value}'";

    static string Signature(ConstructorInfo c) => string.Join(", ", c.GetParameters().Select(p =>
        OptionNames.Snake(p.Name!) + ": " + TypeName(p.ParameterType) + (p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")));

    static string TypeName(Type t) => Nullable.GetUnderlyingType(t) is { } u ? TypeName(u) + "?"
        : t.IsGenericType ? t.Name[..t.Name.IndexOf('`')] + "<" + string.Join(", ", t.GetGenericArguments().Select(TypeName)) + ">"
        : t.Name;
}
