
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

    /// <summary>list[start:stop]: a new ModuleList of those modules, numbered from 0 as PyTorch does.</summary>
    public ModuleList Slice(int? start, int? stop) => new(EntriesInSlice(start, stop).Select(e => e.Module!).ToArray());

    /// <summary>PyTorch's ModuleList repr: runs of identical children print once, as "(first-last): n x child".</summary>
    public override string ToString()
    {
        var reprs = ModuleEntries().Select(e => e.Module?.ToString() ?? "None").ToList();
        if (reprs.Count == 0) return ReprName + "()";
        var sb = new System.Text.StringBuilder(ReprName).Append('(');
        for (int first = 0; first < reprs.Count;)
        {
            int last = first;
            while (last + 1 < reprs.Count && reprs[last + 1] == reprs[first]) last++;
            var label = first == last ? $"({first}): " : $"({first}-{last}): {last - first + 1} x ";
            sb.Append("\n  ").Append(label).Append(reprs[first].Replace("\n", "\n  "));
            first = last + 1;
        }
        return sb.Append("\n)").ToString();
    }

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
