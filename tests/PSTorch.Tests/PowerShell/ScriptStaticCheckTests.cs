using System.Management.Automation;
using System.Management.Automation.Language;
using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>
/// The PowerShell scripts this repository ships and runs elsewhere (the Pester suite under a real pwsh, the examples,
/// build.ps1, the README's snippets) checked here without running them: they parse, and every call of a PSTorch cmdlet names parameters the
/// cmdlet has, so a renamed parameter breaks `dotnet test` instead of the Pester run nobody sees here. Cmdlets whose
/// parameters depend on their arguments (New-Layer Conv2d has -Padding) are asked with the call's literal arguments.
/// </summary>
public sealed class ScriptStaticCheckTests : IClassFixture<ModuleRunspace>
{
    readonly ModuleRunspace ps;
    readonly Dictionary<string, CmdletInfo> cmdlets;

    public ScriptStaticCheckTests(ModuleRunspace ps)
    {
        this.ps = ps;
        cmdlets = ps.Invoke("Get-Command -Module PSTorch -CommandType Cmdlet")
            .Select(o => (CmdletInfo)o.BaseObject)
            .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    }

    public static TheoryData<string> Scripts()
    {
        var root = RepositoryPaths.Root;
        var files = Directory.GetFiles(Path.Combine(root, "tests", "pester"), "*.ps1")
            .Concat(Directory.GetFiles(Path.Combine(root, "examples"), "*.ps1"))
            .Append(Path.Combine(root, "build.ps1"));
        var data = new TheoryData<string>();
        foreach (var file in files.Order(StringComparer.Ordinal)) data.Add(Path.GetRelativePath(root, file));
        for (int i = 0; i < ReadmeBlocks().Count; i++) data.Add($"{ReadmeBlockPrefix}{i}");
        return data;
    }

    const string ReadmeBlockPrefix = "README.md powershell block ";

    /// <summary>The README's ```powershell blocks: what a reader copies into a shell.</summary>
    static List<string> ReadmeBlocks()
    {
        var blocks = new List<string>();
        List<string>? current = null;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryPaths.Root, "README.md")))
        {
            if (current is null && line.Trim() == "```powershell") current = [];
            else if (current is not null && line.Trim() == "```") { blocks.Add(string.Join('\n', Commands(current))); current = null; }
            else current?.Add(line);
        }
        return blocks;
    }

    /// <summary>A transcript's input lines (after "PS> " and the continuation prompt ">> "), or the whole block when it is a script.</summary>
    static IEnumerable<string> Commands(List<string> block) =>
        block.Any(l => l.StartsWith("PS> ", StringComparison.Ordinal))
            ? block.Where(l => l.StartsWith("PS> ", StringComparison.Ordinal) || l.StartsWith(">> ", StringComparison.Ordinal)).Select(l => l[(l.StartsWith("PS> ", StringComparison.Ordinal) ? 4 : 3)..])
            : block;

    static ScriptBlockAst Parse(string script)
    {
        ParseError[] errors;
        var ast = script.StartsWith(ReadmeBlockPrefix, StringComparison.Ordinal)
            ? Parser.ParseInput(ReadmeBlocks()[int.Parse(script[ReadmeBlockPrefix.Length..])], out _, out errors)
            : Parser.ParseFile(Path.Combine(RepositoryPaths.Root, script), out _, out errors);
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{script}:{e.Extent.StartLineNumber}: {e.Message}")));
        return ast;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ParsesWithoutErrors(string script) => Parse(script);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void PSTorchCmdletCallsUseExistingParameters(string script)
    {
        var problems = new List<string>();
        foreach (var call in Parse(script).FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
        {
            if (call.GetCommandName() is not { } name || !cmdlets.TryGetValue(name, out var cmdlet)) continue;
            if (typeof(IDynamicParameters).IsAssignableFrom(cmdlet.ImplementingType))
            {
                // only literal arguments can be given to Get-Command; a call with others is left unchecked
                if (LiteralArguments(call) is not { } arguments) continue;
                cmdlet = (CmdletInfo)ps.Invoke("Get-Command $name -ArgumentList $arguments",
                    new Dictionary<string, object?> { ["name"] = name, ["arguments"] = arguments })[0].BaseObject;
            }
            foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
            {
                int matches = Matching(cmdlet, parameter.ParameterName);
                if (matches != 1)
                    problems.Add($"{script}:{parameter.Extent.StartLineNumber}: {name} -{parameter.ParameterName} " +
                                 (matches == 0 ? "is not a parameter" : "is ambiguous"));
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The call's positional arguments when all are literals (names, numbers, lists of numbers), else null.</summary>
    static object[]? LiteralArguments(CommandAst call)
    {
        var arguments = new List<object>();
        var elements = call.CommandElements;
        for (int i = 1; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst named)
            {
                // a named parameter's value is the next element unless it is written -Name:value or is a switch
                if (named.Argument is null && i + 1 < elements.Count && elements[i + 1] is not CommandParameterAst) i++;
                continue;
            }
            if (elements[i] is not ExpressionAst expression || !IsLiteral(expression)) return null;
            arguments.Add(expression.SafeGetValue());
        }
        return arguments.ToArray();
    }

    static bool IsLiteral(ExpressionAst e) => e is ConstantExpressionAst ||
        (e is ArrayLiteralAst list && list.Elements.All(IsLiteral));

    /// <summary>How many parameters the name binds to, as PowerShell binds it: an exact name or alias, else a unique prefix.</summary>
    static int Matching(CmdletInfo cmdlet, string name)
    {
        var parameters = cmdlet.Parameters.Values;
        if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) ||
                                p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))) return 1;
        return parameters.Count(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase) ||
                                     p.Aliases.Any(a => a.StartsWith(name, StringComparison.OrdinalIgnoreCase)));
    }
}
