using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSTorch.Vision;

/// <summary>
/// Finds SkiaSharp's native library (and HarfBuzzSharp's, which plots use to lay out text) beside PSTorch.Core
/// (runtimes/&lt;rid&gt;/native/). A process that loads the module (pwsh, pstorch) resolves native libraries from its
/// own dependency file, which does not list the module's, so without this the first image operation fails with
/// "Unable to load shared library 'libSkiaSharp'".
/// </summary>
internal static class SkiaNativeLibrary
{
    [ModuleInitializer]
    internal static void Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(SkiaSharp.SKBitmap).Assembly, Resolve);
        NativeLibrary.SetDllImportResolver(typeof(HarfBuzzSharp.Blob).Assembly, Resolve);
    }

    static readonly string[] Libraries = ["SkiaSharp", "HarfBuzzSharp"];

    static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var library = Libraries.FirstOrDefault(name => libraryName.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (library is null) return IntPtr.Zero;
        foreach (var candidate in Candidates(library))
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        return IntPtr.Zero; // the process's own probing
    }

    static IEnumerable<string> Candidates(string library)
    {
        var baseDir = Path.GetDirectoryName(typeof(SkiaNativeLibrary).Assembly.Location);
        if (string.IsNullOrEmpty(baseDir)) yield break;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string file = OperatingSystem.IsWindows() ? $"lib{library}.dll" : OperatingSystem.IsMacOS() ? $"lib{library}.dylib" : $"lib{library}.so";
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
