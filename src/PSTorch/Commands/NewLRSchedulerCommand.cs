using System.Collections;
using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.Optim;

namespace PSTorch.Commands;

/// <summary>New-LRScheduler: a learning-rate scheduler of PSTorch.Optim by name (StepLR, CosineAnnealingLR, ...) over an optimizer, with its options.</summary>
[Cmdlet(VerbsCommon.New, "LRScheduler")]
public sealed class NewLRSchedulerCommand : CatalogCommand
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(SchedulerNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public Optimizer Optimizer { get; set; } = null!;

    [Parameter]
    public IDictionary? Options { get; set; }

    internal override TypeCatalog Catalog => TypeCatalog.Schedulers;
    protected override string? TypeName => Name;
    protected override IDictionary? OptionTable => Options;
    internal override IReadOnlyList<SuppliedArgument> Supplied => [new(["optimizer"], Optimizer)];

    protected override void ProcessRecord() => WriteObject(Construct());
}
