using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSTorch.Vision;

/// <summary>
/// Finds SkiaSharp's native library beside PSTorch.Core (runtimes/&lt;rid&gt;/native/). A process that loads the
/// module (pwsh, pstorch) resolves native libraries from its own dependency file, which does not list the
/// module's, so without this the first image operation fails with "Unable to load shared library 'libSkiaSharp'".
/// </summary>
internal static class SkiaNativeLibrary
{
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(SkiaSharp.SKBitmap).Assembly, Resolve);

    static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains("SkiaSharp", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        foreach (var candidate in Candidates(libraryName))
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        return IntPtr.Zero; // the process's own probing
    }

    static IEnumerable<string> Candidates(string libraryName)
    {
        var baseDir = Path.GetDirectoryName(typeof(SkiaNativeLibrary).Assembly.Location);
        if (string.IsNullOrEmpty(baseDir)) yield break;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string file = OperatingSystem.IsWindows() ? "libSkiaSharp.dll" : OperatingSystem.IsMacOS() ? "libSkiaSharp.dylib" : "libSkiaSharp.so";
        if (OperatingSystem.IsLinux())
        {
            bool musl = File.Exists($"/lib/ld-musl-{(arch == "x64" ? "x86_64" : "aarch64")}.so.1");
            yield return Path.Combine(baseDir, "runtimes", $"{(musl ? "linux-musl" : "linux")}-{arch}", "native", file);
        }
        else if (OperatingSystem.IsMacOS())
            yield return Path.Combine(baseDir, "runtimes", "osx", "native", file);
        else if (OperatingSystem.IsWindows())
            yield return Path.Combine(baseDir, "runtimes", $"win-{arch}", "native", file);
        yield return Path.Combine(baseDir, file);
    }
}
