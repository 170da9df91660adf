using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// Out-String, only added when the engine lacks it. It renders its input with Out-Host, the
/// engine's formatter, while the pstorch host collects the text instead of printing it.
/// </summary>
[Cmdlet(VerbsData.Out, "String")]
[OutputType(typeof(string))]
public sealed class OutStringCommand : PSCmdlet
{
    private readonly List<PSObject> _items = [];

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter]
    public SwitchParameter Stream { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null) _items.Add(InputObject);
    }

    protected override void EndProcessing()
    {
        if (Host.PrivateData?.BaseObject is not HostPrivateData { OutputCapture: var capture })
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSNotSupportedException("This Out-String renders through the pstorch host and cannot run on another host."),
                "OutStringNeedsPSTorchHost", ErrorCategory.NotImplemented, null));
            return;
        }
        var text = capture.Capture(() =>
            InvokeCommand.InvokeScript(false, ScriptBlock.Create("$input | Out-Host"), _items, []));
        if (Stream)
        {
            foreach (var line in text.TrimEnd('\n', '\r').Split('\n')) WriteObject(line.TrimEnd('\r'));
            return;
        }
        WriteObject(NoNewline ? text.Replace("\r", "").Replace("\n", "") : text);
    }
}
