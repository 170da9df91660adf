
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

    /// <summary>len(): every slot, a module added twice counted twice.</summary>
    public int Count => ModuleEntries().Count();

    public Module this[int index] => ModuleAt(index);

    /// <summary>seq[start:stop]: a Sequential of those modules under their names in this one, as PyTorch slices.</summary>
    public Sequential Slice(int? start, int? stop) => new(EntriesInSlice(start, stop).Select(e => (e.Name, e.Module!)));

    public Sequential this[Range range] => Slice(range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value, range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value);

    public Sequential Append(Module module)
    {
        RegisterModule(Count.ToString(), module);
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        bool madeByLibraryLayer = false;
        foreach (var (_, m) in ModuleEntries())
        {
            var next = (m ?? throw new InvalidOperationException("'NoneType' object is not callable")).Call(x);
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
        m.GetType().Assembly == typeof(Module).Assembly && !m.HasForwardHooks && (m is not Sequential inner || inner.ModuleEntries().All(e => e.Module != null && IsLibraryLayer(e.Module)));
}
