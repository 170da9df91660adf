using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSTorch.Benchmark;

namespace PSTorch.Completion;

/// <summary>Tab completion for Measure-Op -Op: the built-in ops, each with what its sizes mean.</summary>
public sealed class BenchmarkOpCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        return BenchmarkOp.All
            .Where(op => op.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(op => new CompletionResult(op.Name, op.Name, CompletionResultType.ParameterValue, $"{op.Name}: -Size {op.Sizes}"));
    }
}
