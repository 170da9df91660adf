using System.Management.Automation;
using PSTorch.NN;

namespace PSTorch.Commands;

/// <summary>
/// Gives a module's named children and parameters as PowerShell properties ($model.hidden, $block.fc), so they
/// show in Get-Member and tab completion. PowerShell keeps instance members with the object itself, so they stay
/// wherever the module goes.
/// </summary>
internal static class ModuleMembers
{
    public static PSObject Attach(Module module)
    {
        var self = PSObject.AsPSObject(module);
        var entries = module.NamedChildren().Select(c => (c.Name, (object)c.Module))
            .Concat(module.NamedParametersDirect().Select(p => (p.Name, (object)p.Parameter)));
        foreach (var (name, value) in entries)
        {
            // Index-named children (Sequential's 0, 1, ...) are reached with $model[0].
            if (char.IsDigit(name[0]) || self.Members[name] != null) continue;
            self.Properties.Add(new PSNoteProperty(name, value));
        }
        return self;
    }
}
