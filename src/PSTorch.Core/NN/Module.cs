using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>
/// Base class of all layers and models (torch.nn.Module). Parameters, buffers and sub-modules are
/// registered explicitly (RegisterParameter/RegisterBuffer/RegisterModule) or by assignment to a field or
/// property of a subclass (C# or PowerShell class), and are listed in declaration order.
/// </summary>
public abstract class Module
{
    readonly List<KeyValuePair<string, Parameter?>> parameters = [];
    readonly List<KeyValuePair<string, Tensor?>> buffers = [];
    readonly HashSet<string> nonPersistent = [];
    readonly List<KeyValuePair<string, Module?>> modules = [];
    readonly List<Func<Module, Tensor, Tensor?>> forwardPreHooks = [];
    readonly List<Func<Module, Tensor, Tensor, Tensor?>> forwardHooks = [];

    /// <summary>True in training mode (the default), false after Eval().</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The model's forward computation; call <see cref="Call"/> to also run hooks.</summary>
    public virtual Tensor Forward(Tensor input) =>
        throw new NotImplementedException($"Module [{GetType().Name}] is missing the required \"forward\" function");

    /// <summary>module(input): forward pre-hooks, Forward, forward hooks.</summary>
    public Tensor Call(Tensor input)
    {
        foreach (var pre in forwardPreHooks) input = pre(this, input) ?? input;
        var output = Forward(input);
        foreach (var hook in forwardHooks) output = hook(this, input, output) ?? output;
        return output;
    }

    internal bool HasForwardHooks => forwardPreHooks.Count > 0 || forwardHooks.Count > 0;

    /// <summary>Runs <paramref name="hook"/>(module, input, output) after every forward; a non-null result replaces the output.</summary>
    public IDisposable RegisterForwardHook(Func<Module, Tensor, Tensor, Tensor?> hook)
    {
        forwardHooks.Add(hook);
        return new HookHandle(() => forwardHooks.Remove(hook));
    }

    /// <summary>Runs <paramref name="hook"/>(module, input) before every forward; a non-null result replaces the input.</summary>
    public IDisposable RegisterForwardPreHook(Func<Module, Tensor, Tensor?> hook)
    {
        forwardPreHooks.Add(hook);
        return new HookHandle(() => forwardPreHooks.Remove(hook));
    }

    // ---------------------------------------------------------------- registration

    public void RegisterParameter(string name, Parameter? parameter) => Set(parameters, CheckName(name), parameter);

    public void RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        Set(buffers, CheckName(name), tensor);
        if (persistent) nonPersistent.Remove(name); else nonPersistent.Add(name);
    }

    public void RegisterModule(string name, Module? module) => Set(modules, CheckName(name), module);

    /// <summary>add_module.</summary>
    public void AddModule(string name, Module? module) => RegisterModule(name, module);

    static string CheckName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("module name can't be empty string \"\"");
        if (name.Contains('.')) throw new ArgumentException($"module name can't contain \".\", got: {name}");
        return name;
    }

    static void Set<T>(List<KeyValuePair<string, T>> list, string name, T value)
    {
        int i = list.FindIndex(kv => kv.Key == name);
        if (i >= 0) list[i] = new(name, value);
        else list.Add(new(name, value));
    }

    /// <summary>Fields and properties of the concrete type that hold parameters or modules, in declaration order.</summary>
    static readonly ConcurrentDictionary<Type, MemberInfo[]> AssignedMembers = new();

    static MemberInfo[] MembersOf(Type type) => AssignedMembers.GetOrAdd(type, t =>
    {
        var chain = new List<Type>();
        for (var c = t; c != null && c != typeof(Module); c = c.BaseType) chain.Insert(0, c);
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var result = new List<MemberInfo>();
        foreach (var c in chain)
        {
            bool isOurs = c.Assembly == typeof(Module).Assembly;
            if (isOurs) continue; // built-in layers register explicitly under PyTorch's names
            foreach (var p in c.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && Holds(p.PropertyType)).OrderBy(p => p.MetadataToken))
                result.Add(p);
            foreach (var f in c.GetFields(flags).Where(f => Holds(f.FieldType)).OrderBy(f => f.MetadataToken))
                result.Add(f);
        }
        return result.ToArray();
    });

    static bool Holds(Type t) => typeof(Module).IsAssignableFrom(t) || typeof(Parameter).IsAssignableFrom(t) || t == typeof(object);

    static string MemberName(MemberInfo m)
    {
        var n = m.Name;
        // C# auto-property backing fields are named <Name>k__BackingField
        return n.StartsWith('<') && n.IndexOf('>') > 1 ? n[1..n.IndexOf('>')] : n;
    }

    /// <summary>Entries assigned to fields/properties that were not registered explicitly.</summary>
    IEnumerable<(string Name, object Value)> Assigned()
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var kv in parameters) if (kv.Value != null) seen.Add(kv.Value);
        foreach (var kv in modules) if (kv.Value != null) seen.Add(kv.Value);
        var names = new HashSet<string>();
        foreach (var m in MembersOf(GetType()))
        {
            var value = m is PropertyInfo p ? p.GetValue(this) : ((FieldInfo)m).GetValue(this);
            if (value is not (Module or Parameter) || !seen.Add(value)) continue;
            var name = MemberName(m);
            if (names.Add(name)) yield return (name, value);
        }
    }

    // ---------------------------------------------------------------- traversal

    public IEnumerable<(string Name, Parameter Parameter)> NamedParametersDirect()
    {
        foreach (var kv in parameters) if (kv.Value != null) yield return (kv.Key, kv.Value);
        foreach (var (name, value) in Assigned()) if (value is Parameter p) yield return (name, p);
    }

    /// <summary>
    /// Every sub-module slot in order, including unset (null) ones and a module held under several names: what
    /// PyTorch's _modules.items() gives, which containers index, repr prints and state_dict walks.
    /// </summary>
    protected IEnumerable<(string Name, Module? Module)> ModuleEntries()
    {
        foreach (var kv in modules) yield return (kv.Key, kv.Value);
        foreach (var (name, value) in Assigned()) if (value is Module m) yield return (name, m);
    }

    /// <summary>The module in slot <paramref name="index"/> (negative counts from the end), as Sequential and ModuleList index.</summary>
    protected Module ModuleAt(int index)
    {
        var all = ModuleEntries().ToList();
        if (index < -all.Count || index >= all.Count) throw new IndexOutOfRangeException($"index {index} is out of range");
        return all[index < 0 ? index + all.Count : index].Module!;
    }

    /// <summary>The slots of a Python slice [start:stop] (negative bounds count from the end; out-of-range bounds are clamped).</summary>
    protected List<(string Name, Module? Module)> EntriesInSlice(int? start, int? stop)
    {
        var all = ModuleEntries().ToList();
        int Bound(int? b, int fallback) => b is not { } v ? fallback : Math.Clamp(v < 0 ? v + all.Count : v, 0, all.Count);
        int from = Bound(start, 0), to = Bound(stop, all.Count);
        return from < to ? all.GetRange(from, to - from) : [];
    }

    /// <summary>The set sub-modules, each once under its first name (named_children).</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in ModuleEntries()) if (m != null && seen.Add(m)) yield return (name, m);
    }

    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>This module and all descendants, each once, pre-order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        return Walk(this, prefix, seen);

        static IEnumerable<(string, Module)> Walk(Module m, string prefix, HashSet<Module> seen)
        {
            if (!seen.Add(m)) yield break;
            yield return (prefix, m);
            foreach (var (name, child) in m.NamedChildren())
                foreach (var x in Walk(child, prefix.Length == 0 ? name : prefix + "." + name, seen))
                    yield return x;
        }
    }

    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>All parameters, each once (shared parameters are listed under their first name).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(bool recurse = true)
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        var sources = recurse ? NamedModules() : [("", this)];
        foreach (var (prefix, m) in sources)
            foreach (var (name, p) in m.NamedParametersDirect())
                if (seen.Add(p)) yield return (prefix.Length == 0 ? name : prefix + "." + name, p);
    }

    public IEnumerable<Parameter> Parameters(bool recurse = true) => NamedParameters(recurse).Select(p => p.Parameter);

    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(bool recurse = true)
    {
        var sources = recurse ? NamedModules() : [("", this)];
        foreach (var (prefix, m) in sources)
            foreach (var kv in m.buffers)
                if (kv.Value != null) yield return (prefix.Length == 0 ? kv.Key : prefix + "." + kv.Key, kv.Value);
    }

    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(b => b.Buffer);

    /// <summary>requires_grad_: sets requires_grad of every parameter; returns this module.</summary>
    public Module RequiresGrad_(bool requiresGrad = true)
    {
        foreach (var p in Parameters()) p.RequiresGrad_(requiresGrad);
        return this;
    }

    /// <summary>A buffer of this module by name (null if absent or unset).</summary>
    protected Tensor? GetBuffer(string name) => buffers.FirstOrDefault(kv => kv.Key == name).Value;

    /// <summary>Replaces a buffer's tensor (e.g. after To()) keeping its registration.</summary>
    protected void SetBuffer(string name, Tensor value) => Set(buffers, name, value);

    // ---------------------------------------------------------------- modes and conversion

    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var c in Children()) c.Train(mode);
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Calls <paramref name="fn"/> on every sub-module (children first) and then on this module.</summary>
    public Module Apply(Action<Module> fn)
    {
        foreach (var c in Children()) c.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>Sets gradients to null (set_to_none, the default) or to zero.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (p.Grad == null) continue;
            if (setToNone) { p.Grad = null; continue; }
            // PyTorch zeroes the same gradient tensor in place, cut from any graph
            if (p.Grad.GradFn != null) p.Grad.Detach_();
            else p.Grad.RequiresGrad = false;
            using (GradMode.Set(false)) p.Grad.Zero_();
        }
    }

    /// <summary>Converts floating-point parameters and buffers to <paramref name="dtype"/>, keeping the Parameter objects.</summary>
    public Module To(DType dtype) => Convert(t => t.IsFloatingPoint() ? t.To(dtype) : t);

    /// <summary>Moves parameters and buffers to <paramref name="device"/>, keeping the Parameter objects.</summary>
    public Module To(Device device) => Convert(t => t.To(device));

    public Module To(string deviceOrDType)
    {
        try { return To(Device.Parse(deviceOrDType)); }
        catch (ArgumentException) { return To(DTypes.Parse(deviceOrDType)); }
    }

    public Module Double() => To(DType.Float64);
    public Module Float() => To(DType.Float32);
    public Module Cpu() => To(Device.Cpu);
    public Module Cuda(int index = 0) => To(new Device(DeviceType.Cuda, index));

    Module Convert(Func<Tensor, Tensor> convert)
    {
        using var _ = GradMode.Set(false);
        foreach (var m in Modules())
        {
            foreach (var (_, p) in m.NamedParametersDirect())
            {
                var converted = convert(p);
                if (!ReferenceEquals(converted, p)) p.Data = converted;
                if (p.Grad != null && convert(p.Grad) is var g && !ReferenceEquals(g, p.Grad)) p.Grad = g;
            }
            foreach (var kv in m.buffers.ToArray())
                if (kv.Value != null) m.SetBuffer(kv.Key, convert(kv.Value));
            m.OnConverted();
        }
        return this;
    }

    /// <summary>Lets a module refresh state derived from its tensors after To().</summary>
    protected virtual void OnConverted() { }

    // ---------------------------------------------------------------- state dict

    /// <summary>
    /// The modules state_dict and load_state_dict visit, with their key prefixes: pre-order and, as in PyTorch,
    /// without removing a module shared under several names (its entries appear under each).
    /// </summary>
    IEnumerable<(string Prefix, Module Module)> StateModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in ModuleEntries())
            if (child != null)
                foreach (var x in child.StateModules(prefix + name + "."))
                    yield return x;
    }

    /// <summary>Parameters and persistent buffers by dotted name, detached, in PyTorch's order.</summary>
    public StateDict StateDict()
    {
        var d = new StateDict();
        foreach (var (prefix, m) in StateModules())
        {
            foreach (var (name, p) in m.NamedParametersDirect()) d[prefix + name] = p.Detach();
            foreach (var kv in m.buffers)
                if (kv.Value != null && !m.nonPersistent.Contains(kv.Key)) d[prefix + kv.Key] = kv.Value.Detach();
        }
        return d;
    }

    /// <summary>
    /// Copies tensors from <paramref name="state"/> into parameters and buffers. Strict (the default) requires
    /// exactly the same keys; otherwise the missing and unexpected keys are returned. Shape mismatches are errors.
    /// </summary>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = new Dictionary<string, (Tensor Target, Module Owner, string Local, bool IsBuffer)>();
        foreach (var (prefix, m) in StateModules())
        {
            foreach (var (name, p) in m.NamedParametersDirect()) own.TryAdd(prefix + name, (p, m, name, false));
            foreach (var kv in m.buffers)
                if (kv.Value != null && !m.nonPersistent.Contains(kv.Key)) own.TryAdd(prefix + kv.Key, (kv.Value, m, kv.Key, true));
        }
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var errors = new List<string>();
        foreach (var (key, (target, _, _, _)) in own)
        {
            if (!state.TryGetValue(key, out var src)) continue;
            if (!src.ShapeRef.AsSpan().SequenceEqual(target.ShapeRef))
                errors.Add($"size mismatch for {key}: copying a param with shape torch.Size({Shapes.Format(src.ShapeRef)}) from checkpoint, the shape in current model is torch.Size({Shapes.Format(target.ShapeRef)}).");
        }
        if (strict)
        {
            if (unexpected.Count > 0) errors.Insert(0, $"Unexpected key(s) in state_dict: {string.Join(", ", unexpected.Select(k => $"\"{k}\""))}. ");
            if (missing.Count > 0) errors.Insert(0, $"Missing key(s) in state_dict: {string.Join(", ", missing.Select(k => $"\"{k}\""))}. ");
        }
        if (errors.Count > 0)
            throw new InvalidOperationException($"Error(s) in loading state_dict for {ReprName}:\n\t{string.Join("\n\t", errors)}");
        using (GradMode.Set(false))
            foreach (var (key, (target, _, _, _)) in own)
                if (state.TryGetValue(key, out var src)) target.Copy_(src);
        return new LoadStateDictResult(missing, unexpected);
    }

    // ---------------------------------------------------------------- printing

    /// <summary>The text inside the parentheses of this module's repr, e.g. "in_features=784, out_features=256, bias=True".</summary>
    public virtual string ExtraRepr() => "";

    /// <summary>The name the repr and messages use: the class name, or a script module's own name.</summary>
    protected virtual string ReprName => GetType().Name;

    /// <summary>PyTorch's model repr.</summary>
    public override string ToString()
    {
        var children = ModuleEntries().ToList();
        var extra = ExtraRepr();
        var name = ReprName;
        // PyTorch puts a one-line extra_repr inside the parentheses and anything else on indented lines
        if (children.Count == 0 && !extra.Contains('\n')) return $"{name}({extra})";
        var sb = new StringBuilder();
        sb.Append(name).Append('(');
        if (extra.Length > 0) sb.Append("\n  ").Append(extra.Replace("\n", "\n  "));
        foreach (var (childName, child) in children)
            sb.Append("\n  (").Append(childName).Append("): ").Append(child?.ToString().Replace("\n", "\n  ") ?? "None");
        sb.Append("\n)");
        return sb.ToString();
    }
}

/// <summary>What a non-strict load_state_dict could not match.</summary>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
