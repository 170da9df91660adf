using System.Management.Automation;
using System.Text.RegularExpressions;
using PSTorch.Benchmark;
using PSTorch.Completion;
using Timer = PSTorch.Benchmark.Timer;

namespace PSTorch.Commands;

/// <summary>
/// <para type="synopsis">Times a script block or a built-in op like torch.utils.benchmark.Timer.blocked_autorange.</para>
/// <example><code>Measure-Op -Op matmul -Size 512</code></example>
/// <example><code>Measure-Op { $a.MatMul($b) } -Compare { $a.T().Contiguous().T().MatMul($b) }</code></example>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Op", DefaultParameterSetName = ScriptSet)]
[OutputType(typeof(Measurement), typeof(Comparison))]
public sealed class MeasureOpCommand : PSCmdlet
{
    const string ScriptSet = "ScriptBlock", OpSet = "Op";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    [Parameter(ParameterSetName = ScriptSet)]
    public ScriptBlock? Compare { get; set; }

    [Parameter(ParameterSetName = ScriptSet)]
    public string? Label { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = OpSet)]
    [ArgumentCompleter(typeof(BenchmarkOpCompleter))]
    public string Op { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = OpSet)]
    public long[] Size { get; set; } = null!;

    [Parameter(ParameterSetName = ScriptSet)]
    [ValidateRange(0.0, double.MaxValue)]
    public double? Flops { get; set; }

    [Parameter(ParameterSetName = ScriptSet)]
    [ValidateRange(0.0, double.MaxValue)]
    public double? Bytes { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string[] Device { get; set; } = ["cpu"];

    [Parameter]
    [ValidateRange(0.0, 3600.0)]
    public double MinTime { get; set; } = 0.2;

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int MinRuns { get; set; } = 7;

    [Parameter]
    [ValidateRange(1, 1024)]
    public int? Threads { get; set; }

    protected override void EndProcessing()
    {
        var devices = Device.Select(name => TorchErrors.ParseDevice(this, name)!.Value).ToArray();
        BenchmarkOp? op = null;
        if (ParameterSetName == OpSet)
        {
            try
            {
                op = BenchmarkOp.Get(Op);
                op.BytesFor(Size); // checks the sizes before anything runs
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "UnknownOpOrSizes", ErrorCategory.InvalidArgument, Op));
            }
        }
        if (Compare is not null && devices.Length > 1)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Compare times two script blocks on one device; give a single -Device with it."),
                "CompareWithDevices", ErrorCategory.InvalidArgument, Device));
        var minTime = TimeSpan.FromSeconds(MinTime);
        try
        {
            object? result = Compare is not null
                ? Timer.Compare(ScriptTimer(ScriptBlock, devices[0]), ScriptTimer(Compare, devices[0]), minTime, MinRuns)
                : DeviceTiming.Run(devices, device => op is null ? ScriptTimer(ScriptBlock, device) : op.CreateTimer(Size, device, Threads), minTime, MinRuns,
                    (device, unavailable) => WriteError(TorchErrors.Record(unavailable, "DeviceUnavailable", Device, device: device)));
            if (result is not null) WriteObject(result);
        }
        catch (NotSupportedException e)
        {
            WriteError(TorchErrors.Record(e, "MeasureFailed", Device, device: devices[0]));
        }
        catch (ArgumentException e)
        {
            WriteError(TorchErrors.Record(e, "MeasureFailed", ScriptBlock ?? (object)Op));
        }
        catch (RuntimeException e)
        {
            WriteError(new ErrorRecord(e.ErrorRecord, e));
        }
    }

    /// <summary>A timer running the script block with the device name as its argument (param($device)).</summary>
    Timer ScriptTimer(ScriptBlock script, Device device)
    {
        string deviceName = device.ToString();
        return new Timer(() => script.InvokeReturnAsIs(deviceName), Label ?? Describe(script), $"on {deviceName}", device)
        {
            Flops = Flops,
            Bytes = Bytes,
            Threads = Threads,
        };
    }

    /// <summary>The script's text on one line, shortened, as the measurement's label.</summary>
    static string Describe(ScriptBlock script)
    {
        var text = Regex.Replace(script.ToString().Trim(), @"\s+", " ");
        return "{ " + (text.Length > 60 ? text[..57] + "..." : text) + " }";
    }
}
