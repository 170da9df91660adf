using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace PSTorch.Host.Polyfills;

/// <summary>
/// Connects the Format-* polyfills to the engine's own formatter. The engine package contains the
/// whole formatting machinery (views from format.ps1xml, table and list layout) and public base
/// classes for the Format-* cmdlets; only the two-line subclasses that pick a shape live in pwsh's
/// Utility module. Those subclasses set an internal field, so this does the same through
/// reflection. The names are checked by HostTests against the pinned engine version.
/// </summary>
internal static class FormattingEngine
{
    private const string FormatNamespace = "Microsoft.PowerShell.Commands.Internal.Format.";

    public static void UseShape(FrontEndCommandBase command, string shape)
    {
        var engine = typeof(FrontEndCommandBase).Assembly;
        var shapeType = engine.GetType(FormatNamespace + "FormatShape", throwOnError: true)!;
        var implementationType = engine.GetType(FormatNamespace + "InnerFormatShapeCommand", throwOnError: true)!;
        var implementation = Activator.CreateInstance(
            implementationType,
            BindingFlags.Instance | BindingFlags.NonPublic,
            binder: null,
            args: [Enum.Parse(shapeType, shape)],
            culture: null);
        var field = typeof(FrontEndCommandBase).GetField("implementation", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new MissingFieldException(typeof(FrontEndCommandBase).FullName, "implementation");
        field.SetValue(command, implementation);
    }
}
