using System.Collections;
using System.Management.Automation;
using PSTorch.Completion;
using PSTorch.Construction;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>
/// New-Layer: any layer of PSTorch.NN by name (Linear, ReLU, Conv2d, ...), with its constructor's arguments by
/// position (-ArgumentList), as dynamic parameters (-InFeatures or -in_features) or in -Options.
/// </summary>
[Cmdlet(VerbsCommon.New, "Layer")]
[OutputType(typeof(Module))]
public sealed class NewLayerCommand : CatalogCommand
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>Constructor arguments in order: New-Layer Linear 784,256.</summary>
    [Parameter(Position = 1)]
    [Alias("Args")]
    public object?[]? ArgumentList { get; set; }

    /// <summary>Constructor arguments by name: @{in_channels=1; out_channels=32; kernel_size=3}.</summary>
    [Parameter]
    public IDictionary? Options { get; set; }

    internal override TypeCatalog Catalog => TypeCatalog.Layers;
    protected override string? TypeName => Name;
    protected override IDictionary? OptionTable => Options;
    protected override IReadOnlyList<object?> Positional => ArgumentList ?? [];

    protected override void ProcessRecord() => WriteObject(Construct());
}
