
namespace PSTorch.NN;

/// <summary>A list of registered sub-modules (torch.nn.ModuleList); it has no forward of its own.</summary>
public class ModuleList : Module
{
    public ModuleList(params Module[] modules)
    {
        foreach (var m in modules) Append(m);
    }

    /// <summary>len(): every slot, a module added twice counted twice.</summary>
    public int Count => ModuleEntries().Count();

    public Module this[int index] => ModuleAt(index);

    public ModuleList Append(Module module)
    {
        RegisterModule(Count.ToString(), module);
        return this;
    }

    public ModuleList Extend(IEnumerable<Module> modules)
    {
        foreach (var m in modules) Append(m);
        return this;
    }
}
