using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Get-TorchDevice: the devices tensors can be put on (cpu always, cuda:N when a driver and GPU are present).</summary>
[Cmdlet(VerbsCommon.Get, "TorchDevice")]
[OutputType(typeof(DeviceDescription))]
public sealed class GetTorchDeviceCommand : PSCmdlet
{
    /// <summary>Only devices of this type: cpu or cuda.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("cpu", "cuda", IgnoreCase = true)]
    public string? Type { get; set; }

    protected override void EndProcessing()
    {
        bool wantCuda = Type == null || Type.Equals("cuda", StringComparison.OrdinalIgnoreCase);
        foreach (var device in DeviceDescription.All())
            if (Type == null || device.Device.Type.ToString().Equals(Type, StringComparison.OrdinalIgnoreCase))
                WriteObject(device);
        if (wantCuda && Torch.Cuda.UnavailableReason() is string reason)
        {
            var unavailable = new CudaUnavailableException(reason);
            if (Type == null) WriteVerbose(unavailable.Message);
            else WriteError(new ErrorRecord(unavailable, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, "cuda"));
        }
    }
}
