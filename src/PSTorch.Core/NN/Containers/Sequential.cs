using PSTorch.Ops;

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
        var modules = ModuleEntries().Select(e => e.Module).ToList();
        for (int i = 0; i < modules.Count; i++)
        {
            var m = modules[i] ?? throw new InvalidOperationException("'NoneType' object is not callable");
            Tensor next;
            if (i + 1 < modules.Count && FusedActivation(m, modules[i + 1], x) is { } kind)
            {
                next = ForwardActivated(m, x, kind);
                i++;
            }
            else next = m.Call(x);
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

    /// <summary>
    /// The activation to fuse with <paramref name="layer"/>'s bias when a Linear/Conv1d/Conv2d is followed by a ReLU or
    /// GELU, else null. Only for CUDA input: there the bias add and the activation are two passes over the layer's
    /// output, and one kernel does both (issue 7). On the CPU nothing changes: the GEMM already takes the bias (Linear's
    /// addmm accumulates onto it; the conv kernels add it to each image's output while that is in cache), so a fused op
    /// would not save a pass, and CPU results stay bit for bit those of the separate modules. Never with hooks (they must
    /// see the layer's output with its bias), under autocast (its casts belong to the unfused ops) or for subclasses,
    /// whose Forward may differ.
    /// </summary>
    static BiasActivationKind? FusedActivation(Module layer, Module? activation, Tensor input)
    {
        if (!input.IsCuda || Amp.AutocastMode.AnyEnabled || activation == null || layer.HasForwardHooks || activation.HasForwardHooks) return null;
        var type = layer.GetType();
        if (type != typeof(Linear) && type != typeof(Conv1d) && type != typeof(Conv2d)) return null;
        if (activation.GetType() == typeof(ReLU)) return BiasActivationKind.Relu;
        if (activation.GetType() == typeof(GELU))
            return ((GELU)activation).Approximate switch { "none" => BiasActivationKind.Gelu, "tanh" => BiasActivationKind.GeluTanh, _ => null };
        return null;
    }

    static Tensor ForwardActivated(Module layer, Tensor input, BiasActivationKind kind) => layer switch
    {
        Linear linear => linear.ForwardActivated(input, kind),
        Conv1d conv => conv.ForwardActivated(input, kind),
        _ => ((Conv2d)layer).ForwardActivated(input, kind),
    };

    static bool IsLibraryLayer(Module m) =>
        m.GetType().Assembly == typeof(Module).Assembly && !m.HasForwardHooks && (m is not Sequential inner || inner.ModuleEntries().All(e => e.Module != null && IsLibraryLayer(e.Module)));
}
