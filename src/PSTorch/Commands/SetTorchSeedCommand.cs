using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Set-TorchSeed 42: torch.manual_seed, so later random tensors repeat.</summary>
[Cmdlet(VerbsCommon.Set, "TorchSeed")]
public sealed class SetTorchSeedCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public long Seed { get; set; }

    protected override void ProcessRecord() => Torch.ManualSeed(Seed);
}
