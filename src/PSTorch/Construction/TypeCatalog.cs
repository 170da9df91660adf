using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Construction;

/// <summary>
/// The engine's constructible types of one kind (layers, losses, optimizers, schedulers), found by reflection
/// over PSTorch.Core, so a type added there is available to the cmdlets and their completion without a cmdlet change.
/// Names are the C# class names (PyTorch's), looked up case-insensitively.
/// </summary>
internal sealed class TypeCatalog
{
    readonly SortedDictionary<string, Type> types;

    TypeCatalog(string kind, Func<Type, bool> belongs)
    {
        Kind = kind;
        types = new(StringComparer.OrdinalIgnoreCase);
        foreach (var t in typeof(Module).Assembly.GetExportedTypes())
            if (t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition && t.GetConstructors().Length > 0 && belongs(t))
                types[t.Name] = t;
    }

    /// <summary>What the catalog holds, for messages: "layer", "loss function", ...</summary>
    public string Kind { get; }

    public IEnumerable<string> Names => types.Values.Select(t => t.Name);

    public bool TryFind(string name, out Type type) => types.TryGetValue(name, out type!);

    /// <summary>Layers: the modules of PSTorch.NN except losses (they have New-LossFunction).</summary>
    public static TypeCatalog Layers { get; } = new("layer", t => t.IsSubclassOf(typeof(Module)) && !t.IsSubclassOf(typeof(Loss)));

    public static TypeCatalog Losses { get; } = new("loss function", t => t.IsSubclassOf(typeof(Loss)));

    public static TypeCatalog Optimizers { get; } = new("optimizer", t => t.IsSubclassOf(typeof(Optimizer)));

    /// <summary>Learning-rate schedulers: the subclasses of LRScheduler (ChainedScheduler's optimizer comes after its schedulers).</summary>
    public static TypeCatalog Schedulers { get; } = new("learning-rate scheduler", t => t.IsSubclassOf(typeof(LRScheduler)));
}
