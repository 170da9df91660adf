using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSTorch.Cuda.Bindings;

/// <summary>
/// Finds the native libraries behind <see cref="PstorchCuda"/> and <see cref="CudaDriver"/>, and says why one
/// cannot be loaded. libpstorch_cuda is looked for at $PSTORCH_CUDA_LIBRARY (a file), then beside this assembly
/// (runtimes/&lt;rid&gt;/native/ and the folder itself): a process that loads the module resolves native
/// libraries from its own dependency file, which does not list the module's.
/// </summary>
internal static class NativeLibraries
{
    public const string LibraryVariable = "PSTORCH_CUDA_LIBRARY";

    static readonly object Gate = new();
    static readonly Dictionary<string, (IntPtr Handle, string? Error)> Loaded = [];

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library's native resolver must be set before its first P/Invoke, which may come from any caller.")]
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName is PstorchCuda.Library or CudaDriver.Library ? TryLoad(libraryName, out _) : IntPtr.Zero;

    /// <summary>Loads (once) the library behind a binding class's Library name; on failure the handle is zero and error says why.</summary>
    public static IntPtr TryLoad(string libraryName, out string? error)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(libraryName, out var entry))
            {
                entry = libraryName == CudaDriver.Library ? LoadDriver() : LoadFirst(CandidatesFor(libraryName), libraryName);
                Loaded[libraryName] = entry;
            }
            error = entry.Error;
            return entry.Handle;
        }
    }

    static (IntPtr, string?) LoadDriver()
    {
        string file = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
        try
        {
            return (NativeLibrary.Load(file), null);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return (IntPtr.Zero, $"{file} (the NVIDIA driver's CUDA library) was not found or could not be loaded; is an NVIDIA driver installed? ({e.Message.Trim()})");
        }
    }

    static (IntPtr, string?) LoadFirst(IEnumerable<string> candidates, string libraryName)
    {
        var tried = new List<string>();
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) { tried.Add(path); continue; }
            try
            {
                return (NativeLibrary.Load(path), null);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                // The file exists but a dependency (cuBLAS) or the architecture is wrong: that is the reason to report.
                return (IntPtr.Zero, $"{path} could not be loaded: {e.Message.Trim()}");
            }
        }
        return (IntPtr.Zero, $"the PSTorch CUDA library ({FileName(libraryName)}) was not found; this build was made without nvcc " +
                             $"(looked in: {string.Join(", ", tried)})");
    }

    static string FileName(string libraryName) =>
        OperatingSystem.IsWindows() ? $"{libraryName}.dll" : OperatingSystem.IsMacOS() ? $"lib{libraryName}.dylib" : $"lib{libraryName}.so";

    /// <summary>Where libpstorch_cuda may be, in the order tried.</summary>
    internal static IEnumerable<string> CandidatesFor(string libraryName)
    {
        var explicitPath = Environment.GetEnvironmentVariable(LibraryVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath)) yield return explicitPath;
        var baseDir = Path.GetDirectoryName(typeof(NativeLibraries).Assembly.Location);
        if (string.IsNullOrEmpty(baseDir)) yield break;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        yield return Path.Combine(baseDir, "runtimes", $"{os}-{arch}", "native", FileName(libraryName));
        yield return Path.Combine(baseDir, FileName(libraryName));
    }
}
