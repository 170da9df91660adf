using System.Reflection;

namespace PSTorch.Tests.PowerShell;

/// <summary>Where the repository and the build outputs the tests drive are.</summary>
public static class RepositoryPaths
{
    /// <summary>The directory holding PSTorch.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the tests drive binaries of the configuration they were built in.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The pstorch host's entry assembly, as `dotnet build` left it.</summary>
    public static string HostAssembly =>
        Path.Combine(Root, "src", "PSTorch.Host", "bin", Configuration, "net10.0", "PSTorch.Host.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PSTorch.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No PSTorch.sln above {AppContext.BaseDirectory}.");
    }
}
