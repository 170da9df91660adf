
namespace PSTorch.NN;

/// <summary>Sub-modules by name, in insertion order (torch.nn.ModuleDict).</summary>
public class ModuleDict : Module
{
    public ModuleDict() { }

    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules)
    {
        foreach (var kv in modules) RegisterModule(kv.Key, kv.Value);
    }

    public Module this[string key]
    {
        get => ModuleEntries().FirstOrDefault(c => c.Name == key).Module ?? throw new KeyNotFoundException($"'{key}' is not in the ModuleDict");
        set => RegisterModule(key, value);
    }

    public bool ContainsKey(string key) => ModuleEntries().Any(c => c.Name == key);
    public int Count => ModuleEntries().Count();
    public IEnumerable<string> Keys => ModuleEntries().Select(c => c.Name);
}
