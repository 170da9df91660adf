namespace PSTorch.NN;

/// <summary>
/// A tensor that is a module parameter: it requires grad by default, and assigning it to a module
/// (a field or property, or RegisterParameter) registers it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s memory (detached from any graph) as a parameter.</summary>
    public Parameter(Tensor data, bool requiresGrad = true) : base(data.Detach()) => RequiresGrad = requiresGrad;

    public override string ToString() => "Parameter containing:\n" + base.ToString();

    /// <summary>The short description containers print: "Parameter containing: [torch.float32 of size 4x4]".</summary>
    public string Summary() =>
        $"Parameter containing: [{DType.TorchName()} of size {string.Join("x", ShapeRef)}{(Device.Type == DeviceType.Cpu ? "" : $" ({Device})")}]";
}
