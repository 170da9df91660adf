namespace PSTorch.Bindings.Generator;

/// <summary>Where the header and the generated file live, relative to the repository root.</summary>
internal static class Paths
{
    public const string Header = "native/cuda/include/pstorch_cuda.h";
    public const string Output = "bindings/Generated/PstorchCuda.g.cs";

    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Header))) return dir.FullName;
        return null;
    }
}

/// <summary>Header text in, generated C# out: what the tool writes and what the currency test compares.</summary>
internal static class Bindings
{
    public static string Generate(string headerText) => CSharpEmitter.Emit(HeaderParser.Parse(headerText), Paths.Header);
}
