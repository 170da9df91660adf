using System.Collections;
using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.Optim;

namespace PSTorch.Commands;

/// <summary>
/// New-Optimizer: an optimizer of PSTorch.Optim by name (SGD, Adam, AdamW, ...) over a model's parameters, a list
/// of parameters or parameter groups, with -LearningRate and the optimizer's other options (-Momentum, -WeightDecay, ...).
/// </summary>
[Cmdlet(VerbsCommon.New, "Optimizer")]
[OutputType(typeof(Optimizer))]
public sealed class NewOptimizerCommand : CatalogCommand
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(OptimizerNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A module, parameters, or parameter groups (hashtables with a params entry and per-group options).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public object Parameters { get; set; } = null!;

    [Parameter]
    [Alias("Lr")]
    public double? LearningRate { get; set; }

    [Parameter]
    public IDictionary? Options { get; set; }

    internal override TypeCatalog Catalog => TypeCatalog.Optimizers;
    protected override string? TypeName => Name;
    protected override IDictionary? OptionTable => Options;

    internal override IReadOnlyList<SuppliedArgument> Supplied =>
    [
        new(["params", "parameters", "groups", "paramGroups"], parameterSource),
        new(["lr", "learningRate"], LearningRate),
    ];

    object? parameterSource;

    protected override void ProcessRecord()
    {
        try
        {
            parameterSource = OptimizerParameters.Collect(Parameters);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidOptimizerParameters", Parameters));
        }
        WriteObject(Construct());
    }
}
