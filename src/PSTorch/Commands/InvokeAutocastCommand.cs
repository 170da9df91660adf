using System.Management.Automation;
using PSTorch.Completion;

namespace PSTorch.Commands;

/// <summary>Invoke-Autocast -Device cpu { ... }: torch.autocast (mixed precision) for a script block.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "Autocast")]
public sealed class InvokeAutocastCommand : ScopedScriptCommand
{
    /// <summary>The device type whose ops are autocast: cpu or cuda (an index is ignored).</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = null!;

    /// <summary>bfloat16 or float16 (default: bfloat16 on the CPU, float16 on CUDA, or the enclosing block's).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DTypeCompleter))]
    public string? DType { get; set; }

    /// <summary>Runs the block with autocast off (enabled=False), e.g. for a float32 part inside an autocast block.</summary>
    [Parameter]
    public SwitchParameter Disable { get; set; }

    protected override IDisposable EnterScope()
    {
        var device = TorchErrors.ParseDevice(this, Device)!.Value;
        var dtype = TorchErrors.ParseDType(this, DType);
        try { return Torch.Autocast(device, dtype, enabled: !Disable); }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidAutocastDType", DType));
            throw;
        }
    }
}
