using System.Collections;
using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>New-LossFunction: a loss module by name (CrossEntropyLoss, MSELoss, ...) with its options (-Weight, -Reduction, -LabelSmoothing, ...).</summary>
[Cmdlet(VerbsCommon.New, "LossFunction")]
[OutputType(typeof(Loss))]
public sealed class NewLossFunctionCommand : CatalogCommand
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(LossNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter]
    public IDictionary? Options { get; set; }

    internal override TypeCatalog Catalog => TypeCatalog.Losses;
    protected override string? TypeName => Name;
    protected override IDictionary? OptionTable => Options;

    protected override void ProcessRecord() => WriteObject(Construct());
}
