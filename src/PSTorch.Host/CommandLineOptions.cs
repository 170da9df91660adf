namespace PSTorch.Host;

/// <summary>What pstorch was asked to do, parsed from pwsh-style arguments.</summary>
internal sealed class CommandLineOptions
{
    public string? File { get; private init; }
    public string? Command { get; private init; }
    public IReadOnlyList<string> ScriptArguments { get; private init; } = [];
    public bool ShowHelp { get; private init; }
    public bool NonInteractive { get; private init; }
    public string? Error { get; private init; }

    public const string Usage = """
        pstorch - PowerShell with the PSTorch module loaded

        Usage:
          pstorch [-File] <script.ps1> [arguments]   run a script; arguments bind to its param block / $args
          pstorch -Command <text> | -c <text>        run a command ('-' reads the command from standard input)
          pstorch                                    interactive prompt ('exit' leaves)
          pstorch -Help                              this text

        Accepted for compatibility with pwsh and ignored: -NoProfile, -NoLogo, -ExecutionPolicy <policy>,
        -InputFormat/-OutputFormat <format>.
        -NonInteractive makes prompts for input fail instead of reading standard input.

        Exit code: the script's 'exit N'; 1 after a terminating error; otherwise 0.
        """;

    private static readonly HashSet<string> IgnoredSwitches =
        new(StringComparer.OrdinalIgnoreCase) { "NoProfile", "NoP", "NoLogo", "NoL", "Login", "l", "MTA", "STA" };

    private static readonly HashSet<string> IgnoredWithValue =
        new(StringComparer.OrdinalIgnoreCase) { "ExecutionPolicy", "ep", "ex", "InputFormat", "inp", "if", "OutputFormat", "o", "of" };

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var nonInteractive = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsSwitch(arg, out var name))
            {
                // pwsh treats the first bare argument as a script path (-File is the default).
                return FileOptions(arg, args, i + 1, nonInteractive);
            }
            if (IgnoredSwitches.Contains(name)) continue;
            if (IgnoredWithValue.Contains(name)) { i++; continue; }
            if (Matches(name, "NonInteractive", "noni")) { nonInteractive = true; continue; }
            if (Matches(name, "Help", "h", "?")) return new CommandLineOptions { ShowHelp = true };
            if (Matches(name, "File", "f"))
            {
                return i + 1 < args.Count
                    ? FileOptions(args[i + 1], args, i + 2, nonInteractive)
                    : new CommandLineOptions { Error = "-File needs a script path." };
            }
            if (Matches(name, "Command", "c"))
            {
                return i + 1 < args.Count
                    ? new CommandLineOptions { Command = string.Join(' ', args.Skip(i + 1)), NonInteractive = nonInteractive }
                    : new CommandLineOptions { Error = "-Command needs a command." };
            }
            return new CommandLineOptions { Error = $"Unknown option '{arg}'. Run 'pstorch -Help' for usage." };
        }
        return new CommandLineOptions { NonInteractive = nonInteractive };
    }

    private static CommandLineOptions FileOptions(string file, IReadOnlyList<string> args, int firstArgument, bool nonInteractive) =>
        new() { File = file, ScriptArguments = args.Skip(firstArgument).ToArray(), NonInteractive = nonInteractive };

    private static bool IsSwitch(string arg, out string name)
    {
        var isSwitch = arg.Length > 1 && (arg[0] == '-' || arg[0] == '/' && OperatingSystem.IsWindows());
        name = isSwitch ? arg.TrimStart('-', '/') : "";
        return isSwitch && name.Length > 0;
    }

    private static bool Matches(string name, params string[] spellings) =>
        spellings.Any(s => string.Equals(name, s, StringComparison.OrdinalIgnoreCase));
}
