using System.Collections;
using System.Management.Automation;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>New-ScriptModule: a module whose forward is a scriptblock, with named sub-modules and parameters.</summary>
[Cmdlet(VerbsCommon.New, "ScriptModule")]
[OutputType(typeof(ScriptModule))]
public sealed class NewScriptModuleCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = "";

    /// <summary>param($self, $x): the forward computation, returning one tensor.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock Forward { get; set; } = null!;

    /// <summary>Sub-modules by name, registered in order.</summary>
    [Parameter]
    public IDictionary? Modules { get; set; }

    /// <summary>Tensors by name, registered as parameters in order.</summary>
    [Parameter]
    public IDictionary? Parameters { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(new ScriptModule(Name, Forward, Modules, Parameters));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(TorchErrors.Record(e, "InvalidScriptModule", Name));
        }
    }
}
