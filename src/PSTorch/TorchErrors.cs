using System.Management.Automation;

namespace PSTorch.Commands;

/// <summary>Turns the engine's exceptions into ErrorRecords whose category says what kind of problem it was.</summary>
internal static class TorchErrors
{
    /// <param name="badInputCategory">What an ArgumentException means here: InvalidArgument for a parameter, InvalidData for data.</param>
    /// <param name="device">The device asked for: it is the target when the device turns out to be unavailable.</param>
    public static ErrorRecord Record(Exception exception, string errorId, object? target, ErrorCategory badInputCategory = ErrorCategory.InvalidArgument, Device? device = null)
    {
        if (IsDeviceUnavailable(exception))
            return new ErrorRecord(exception, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, device?.ToString() ?? target);
        var category = exception switch
        {
            ArgumentException or InvalidCastException => badInputCategory,
            NotSupportedException => ErrorCategory.NotImplemented,
            InvalidOperationException => ErrorCategory.InvalidOperation,
            _ => ErrorCategory.NotSpecified,
        };
        return new ErrorRecord(exception, errorId, category, target);
    }

    static bool IsDeviceUnavailable(Exception e) => e is NotSupportedException && e.Message.StartsWith("CUDA unavailable", StringComparison.Ordinal);

    /// <summary>Parses a -DType argument ("float32", "float", "torch.float64", ...), or stops the command with InvalidArgument.</summary>
    public static DType? ParseDType(PSCmdlet cmdlet, string? name)
    {
        if (name == null) return null;
        try { return DTypes.Parse(name); }
        catch (ArgumentException e) { cmdlet.ThrowTerminatingError(Record(e, "InvalidDType", name)); return null; }
    }

    /// <summary>Parses a -Device argument ("cpu", "cuda", "cuda:1"), or stops the command with InvalidArgument.</summary>
    public static Device? ParseDevice(PSCmdlet cmdlet, string? name)
    {
        if (name == null) return null;
        try { return Device.Parse(name); }
        catch (ArgumentException e) { cmdlet.ThrowTerminatingError(Record(e, "InvalidDevice", name)); return null; }
    }
}
