
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
        var x = input;
        bool madeByLibraryLayer = false;
        foreach (var m in Children())
        {
            var next = m.Call(x);
            // An intermediate output that only this library's layers (without hooks) saw cannot be reached from
            // outside, and the graph holds its own claim on what it saved: release it now, as PyTorch's refcount
            // does, instead of leaving a training step's activations to the finalizers.
            bool libraryLayer = IsLibraryLayer(m);
            if (madeByLibraryLayer && libraryLayer && !ReferenceEquals(x, input) && !ReferenceEquals(next, x)) x.Dispose();
            madeByLibraryLayer = libraryLayer;
            x = next;
        }
        return x;
    }

    static bool IsLibraryLayer(Module m) =>
        m.GetType().Assembly == typeof(Module).Assembly && !m.HasForwardHooks && (m is not Sequential inner || inner.Children().All(IsLibraryLayer));
}
