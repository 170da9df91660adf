using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace PSTorch.Host.Polyfills;

/// <summary>Format-List, only added when the engine lacks it: the engine's list formatter (format.ps1xml views apply).</summary>
[Cmdlet(VerbsCommon.Format, "List")]
public sealed class FormatListCommand : OuterFormatTableAndListBase
{
    public FormatListCommand() => FormattingEngine.UseShape(this, "List");
}
