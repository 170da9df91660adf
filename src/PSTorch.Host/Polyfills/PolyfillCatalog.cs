using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// The PowerShell engine package ships only Microsoft.PowerShell.Core's cmdlets; Write-Host,
/// Select-Object and friends live in pwsh's Utility and Management modules, which are not
/// published as packages. pstorch adds the thin versions in this folder, each only when the
/// session does not already have a command of that name, so real ones always win.
/// </summary>
internal static class PolyfillCatalog
{
    public static IEnumerable<(string Name, Type Type)> Cmdlets =>
        typeof(PolyfillCatalog).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(PolyfillCatalog).Namespace && typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Attribute: t.GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().SingleOrDefault(), Type: t))
            .Where(c => c.Attribute is not null)
            .Select(c => ($"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c.Type));

    public static void AddMissing(InitialSessionState state)
    {
        foreach (var (name, type) in Cmdlets)
        {
            if (state.Commands[name].Count == 0)
                state.Commands.Add(new SessionStateCmdletEntry(name, type, helpFileName: null));
        }
    }
}
