using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTorch.Construction;

namespace PSTorch.Completion;

/// <summary>Tab completion of the type names a catalog holds (layers, losses, optimizers, schedulers): what exists in PSTorch.Core.</summary>
public abstract class CatalogNameCompleter : IArgumentCompleter
{
    internal abstract TypeCatalog Catalog { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return Catalog.Names
            .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{name} ({Catalog.Kind})"));
    }
}

public sealed class LayerNameCompleter : CatalogNameCompleter
{
    internal override TypeCatalog Catalog => TypeCatalog.Layers;
}

public sealed class LossNameCompleter : CatalogNameCompleter
{
    internal override TypeCatalog Catalog => TypeCatalog.Losses;
}

public sealed class OptimizerNameCompleter : CatalogNameCompleter
{
    internal override TypeCatalog Catalog => TypeCatalog.Optimizers;
}

public sealed class SchedulerNameCompleter : CatalogNameCompleter
{
    internal override TypeCatalog Catalog => TypeCatalog.Schedulers;
}
