using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Start-Sleep, only added when the engine lacks it: waits, and wakes at once when the pipeline is stopped (Ctrl+C).</summary>
[Cmdlet(VerbsLifecycle.Start, "Sleep", DefaultParameterSetName = SecondsSet)]
public sealed class StartSleepCommand : PSCmdlet, IDisposable
{
    private const string SecondsSet = "Seconds";
    private const string MillisecondsSet = "Milliseconds";

    private readonly ManualResetEventSlim _stopped = new();

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecondsSet, ValueFromPipeline = true)]
    [ValidateRange(0.0, int.MaxValue / 1000.0)]
    public double Seconds { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = MillisecondsSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    [Alias("ms")]
    public int Milliseconds { get; set; }

    protected override void ProcessRecord()
    {
        var duration = ParameterSetName == MillisecondsSet ? TimeSpan.FromMilliseconds(Milliseconds) : TimeSpan.FromSeconds(Seconds);
        _stopped.Wait(duration);
    }

    protected override void StopProcessing() => _stopped.Set();

    public void Dispose() => _stopped.Dispose();
}
