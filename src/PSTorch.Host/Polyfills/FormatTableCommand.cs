using System.Management.Automation;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace PSTorch.Host.Polyfills;

/// <summary>Format-Table, only added when the engine lacks it: the engine's table formatter (format.ps1xml views apply).</summary>
[Cmdlet(VerbsCommon.Format, "Table")]
public sealed class FormatTableCommand : OuterFormatTableBase
{
    public FormatTableCommand() => FormattingEngine.UseShape(this, "Table");
}
