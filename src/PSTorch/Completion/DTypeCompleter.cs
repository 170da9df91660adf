using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSTorch.Completion;

/// <summary>Tab completion for -DType: float32, int64, ... (torch.float32 style when the word starts with "torch.").</summary>
public sealed class DTypeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        bool torchStyle = word.StartsWith("torch.", StringComparison.OrdinalIgnoreCase);
        return DTypes.Names
            .Select(name => torchStyle ? "torch." + name : name)
            .Where(name => name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, "torch." + name.Replace("torch.", "")));
    }
}
