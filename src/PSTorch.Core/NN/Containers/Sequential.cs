
namespace PSTorch.NN;

/// <summary>
/// Runs its modules in order, each on the previous one's output (torch.nn.Sequential). Children are named "0", "1", ...
/// unless named explicitly. Containers are deliberately not IEnumerable: PowerShell would unroll them in the pipeline.
/// </summary>
public class Sequential : Module
{
    public Sequential(params Module[] modules)
    {
        for (int i = 0; i < modules.Length; i++) RegisterModule(i.ToString(), modules[i]);
    }

    public Sequential(IEnumerable<(string Name, Module Module)> namedModules)
    {
        foreach (var (name, module) in namedModules) RegisterModule(name, module);
    }

    public int Count => Children().Count();

    public Module this[int index]
    {
        get
        {
            var all = Children().ToList();
            if (index < -all.Count || index >= all.Count) throw new IndexOutOfRangeException($"index {index} is out of range");
            return all[index < 0 ? index + all.Count : index];
        }
    }

    public Sequential Append(Module module)
    {
        RegisterModule(Count.ToString(), module);
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        foreach (var m in Children()) input = m.Call(input);
        return input;
    }
}
