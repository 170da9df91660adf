using PSTorch.Bindings.Generator;

// dotnet run --project bindings/Generator [-- --check]   (run from anywhere inside the repository)
bool check = args.Contains("--check");
string root = Paths.FindRepositoryRoot(AppContext.BaseDirectory) ?? Paths.FindRepositoryRoot(Environment.CurrentDirectory)
    ?? throw new InvalidOperationException("cannot find the repository root (a folder holding native/cuda/include/pstorch_cuda.h)");
string header = Path.Combine(root, Paths.Header);
string output = Path.Combine(root, Paths.Output);
string generated;
try
{
    generated = Bindings.Generate(File.ReadAllText(header));
}
catch (HeaderParseException e)
{
    Console.Error.WriteLine($"{Paths.Header}: {e.Message}");
    return 2;
}
string current = File.Exists(output) ? File.ReadAllText(output) : "";
if (check)
{
    if (current == generated) { Console.WriteLine($"{Paths.Output} is current."); return 0; }
    Console.Error.WriteLine($"{Paths.Output} is stale: run `dotnet run --project bindings/Generator` and commit the result.");
    return 1;
}
if (current != generated)
{
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, generated);
    Console.WriteLine($"wrote {Paths.Output}");
}
else Console.WriteLine($"{Paths.Output} is already current.");
return 0;
