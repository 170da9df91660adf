using System.Management.Automation.Runspaces;
using PSTorch.Host.Polyfills;

namespace PSTorch.Host;

/// <summary>The initial state of pstorch's runspace: the engine's defaults, the missing utility cmdlets, PSTorch.</summary>
internal static class SessionStateFactory
{
    /// <summary>The manifest the build lays out beside pstorch (see Directory.Build.targets).</summary>
    public static string ModuleManifestPath => Path.Combine(AppContext.BaseDirectory, "PSTorch.psd1");

    public static InitialSessionState Create()
    {
        var state = InitialSessionState.CreateDefault2();
        // Naming a script to pstorch is the decision to run it, as with pwsh -ExecutionPolicy Bypass.
        // Execution policies exist only on Windows; elsewhere the engine refuses to set one.
        if (OperatingSystem.IsWindows()) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        PolyfillCatalog.AddMissing(state);
        if (!File.Exists(ModuleManifestPath))
            throw new FileNotFoundException($"The PSTorch module manifest is missing beside pstorch; rebuild the solution.", ModuleManifestPath);
        state.ImportPSModule([ModuleManifestPath]);
        state.ThrowOnRunspaceOpenError = true;
        return state;
    }
}
