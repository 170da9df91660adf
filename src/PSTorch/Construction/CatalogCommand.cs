using System.Collections;
using System.Management.Automation;
using System.Reflection;
using PSTorch.Commands;

namespace PSTorch.Construction;

/// <summary>
/// Base of the cmdlets that build an engine type chosen by name from a <see cref="TypeCatalog"/> (New-Layer,
/// New-LossFunction, New-Optimizer, New-LRScheduler). The chosen type's constructor parameters become dynamic
/// parameters (-InFeatures, alias -in_features), and -Options takes the same names in a hashtable.
/// </summary>
public abstract class CatalogCommand : PSCmdlet, IDynamicParameters
{
    RuntimeDefinedParameterDictionary? dynamicParameters;

    internal abstract TypeCatalog Catalog { get; }

    /// <summary>The type name as the user gave it.</summary>
    protected abstract string? TypeName { get; }

    /// <summary>Constructor options by name (-Options).</summary>
    protected abstract IDictionary? OptionTable { get; }

    /// <summary>Constructor arguments by position.</summary>
    protected virtual IReadOnlyList<object?> Positional => [];

    /// <summary>Constructor arguments the cmdlet fills from its own parameters.</summary>
    internal virtual IReadOnlyList<SuppliedArgument> Supplied => [];

    public object? GetDynamicParameters()
    {
        if (TypeName == null || !Catalog.TryFind(TypeName, out var type)) return null;
        dynamicParameters = ConstructorBinder.DynamicParameters(type, Supplied.SelectMany(s => s.Names), OwnParameterNames());
        return dynamicParameters;
    }

    IEnumerable<string> OwnParameterNames() =>
        GetType().GetProperties().Where(p => p.IsDefined(typeof(ParameterAttribute)))
            .SelectMany(p => new[] { p.Name }.Concat(p.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? []));

    /// <summary>Builds the named type, or stops the command with an error naming what is wrong.</summary>
    protected object Construct()
    {
        if (!Catalog.TryFind(TypeName!, out var type))
        {
            var unknown = new ArgumentException($"Unknown {Catalog.Kind} '{TypeName}'. Known: {string.Join(", ", Catalog.Names)}.");
            ThrowTerminatingError(new ErrorRecord(unknown, "UnknownTypeName", ErrorCategory.ObjectNotFound, TypeName));
            throw unknown;
        }
        try
        {
            return ConstructorBinder.Construct(type, Supplied, Positional, NamedArguments());
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or InvalidOperationException or NotSupportedException)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidConstructorArguments", TypeName));
            throw;
        }
    }

    List<KeyValuePair<string, object?>> NamedArguments()
    {
        var named = new List<KeyValuePair<string, object?>>();
        if (dynamicParameters != null)
            foreach (var p in dynamicParameters.Values.Where(p => p.IsSet))
                named.Add(new(p.Name, p.Value));
        if (OptionTable != null)
            foreach (DictionaryEntry entry in OptionTable)
            {
                var key = entry.Key?.ToString() ?? "";
                if (named.Any(n => OptionNames.Same(n.Key, key)))
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The option '{key}' is given twice (as a parameter and in -Options)."),
                        "OptionGivenTwice", ErrorCategory.InvalidArgument, key));
                named.Add(new(key, entry.Value));
            }
        return named;
    }
}
