using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Construction;

/// <summary>
/// A loss or optimizer given as an object or by name, built by name the way New-LossFunction and New-Optimizer build
/// them (the same catalogs and constructor binding), for cmdlets that take either.
/// </summary>
internal static class ByName
{
    public static Loss Loss(object value) => value switch
    {
        Loss loss => loss,
        string name => (Loss)Build(TypeCatalog.Losses, name, []),
        _ => throw new ArgumentException($"-Loss must be a loss module (New-LossFunction) or a loss name such as CrossEntropyLoss, got {value.GetType().Name}"),
    };

    /// <summary>An optimizer object (its -LearningRate, if given, is set on every group) or one built by name over the model's parameters.</summary>
    public static Optimizer Optimizer(object value, Module model, double? learningRate)
    {
        switch (value)
        {
            case Optimizer optimizer:
                if (learningRate is { } lr)
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                return optimizer;
            case string name:
                return (Optimizer)Build(TypeCatalog.Optimizers, name,
                [
                    new(["params", "parameters", "groups", "paramGroups"], OptimizerParameters.Collect(model)),
                    new(["lr", "learningRate"], learningRate),
                ]);
            default:
                throw new ArgumentException($"-Optimizer must be an optimizer (New-Optimizer) or an optimizer name such as Adam, got {value.GetType().Name}");
        }
    }

    static object Build(TypeCatalog catalog, string name, IReadOnlyList<SuppliedArgument> supplied) =>
        catalog.TryFind(name, out var type)
            ? ConstructorBinder.Construct(type, supplied, [], [])
            : throw new ArgumentException($"Unknown {catalog.Kind} '{name}'. Known: {string.Join(", ", catalog.Names)}.");
}
