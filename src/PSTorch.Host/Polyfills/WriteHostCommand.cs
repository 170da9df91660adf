using System.Collections;
using System.Management.Automation;

namespace PSTorch.Host.Polyfills;

/// <summary>Write-Host, only added when the engine lacks it: text to the host through the information stream (tag PSHOST), as pwsh does.</summary>
[Cmdlet(VerbsCommunications.Write, "Host")]
public sealed class WriteHostCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromRemainingArguments = true)]
    public object? Object { get; set; }

    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    [Parameter]
    public object Separator { get; set; } = " ";

    [Parameter]
    public ConsoleColor? ForegroundColor { get; set; }

    [Parameter]
    public ConsoleColor? BackgroundColor { get; set; }

    protected override void ProcessRecord()
    {
        var message = new HostInformationMessage
        {
            Message = Render(Object),
            NoNewLine = NoNewline,
            ForegroundColor = ForegroundColor,
            BackgroundColor = BackgroundColor,
        };
        WriteInformation(message, ["PSHOST"]);
    }

    private string Render(object? value)
    {
        var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            null => "",
            string text => text,
            IEnumerable items => string.Join(Separator?.ToString(), items.Cast<object?>().Select(Render)),
            _ => LanguagePrimitives.ConvertTo<string>(value),
        };
    }
}
