using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PSTorch.Host;

/// <summary>
/// Binds command-line arguments to a script the way pwsh -File does: '-Name value' and
/// '-Name:value' are named parameters ('-Flag' alone a switch, '-Flag:$false' turns it off),
/// anything else is positional and reaches the param block or $args.
/// </summary>
internal static class ScriptArguments
{
    public static void Add(PowerShell ps, IReadOnlyList<string> arguments)
    {
        var parameters = ps.Commands.Commands[^1].Parameters;
        foreach (var argument in arguments)
        {
            if (!IsParameterName(argument))
            {
                parameters.Add(new CommandParameter(null, argument));
                continue;
            }
            var colon = argument.IndexOf(':');
            if (colon < 0 || colon == argument.Length - 1)
            {
                // A dashed name without a value: the binder pairs it with the next argument unless it is a switch.
                parameters.Add(new CommandParameter(argument.TrimEnd(':')));
                continue;
            }
            parameters.Add(new CommandParameter(argument[1..colon], Value(argument[(colon + 1)..])));
        }
    }

    private static bool IsParameterName(string argument) =>
        argument.Length > 1 && argument[0] == '-' && (char.IsLetter(argument[1]) || argument[1] == '_');

    private static object Value(string text) => text.ToLowerInvariant() switch
    {
        "$true" => true,
        "$false" => false,
        _ => text,
    };
}
