using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>nn.Module behaviours checked against PyTorch's: names, order, dedup, state_dict, repr, containers.</summary>
public class ModuleParityTests
{
    static Sequential Nested() =>
        new(new Linear(4, 3), new ReLU(), new Sequential(new Linear(3, 2), new BatchNorm1d(2)));

    [Fact]
    public void NamesAndOrderFollowPyTorch()
    {
        var m = Nested();
        Assert.Equal(new[] { "0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias" }, m.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked" }, m.NamedBuffers().Select(b => b.Name));
        Assert.Equal(new[] { "", "0", "1", "2", "2.0", "2.1" }, m.NamedModules().Select(x => x.Name));
        Assert.Equal(new[] { "0", "1", "2" }, m.NamedChildren().Select(x => x.Name));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias", "2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked" },
            m.StateDict().Keys);
        Assert.Equal(4 * 3 + 3 + 3 * 2 + 2 + 2 + 2, m.Parameters().Sum(p => p.Numel()));
        Assert.Empty(m.NamedParameters(recurse: false));
    }

    [Fact]
    public void NestedUserModulePrefixes()
    {
        var outer = new Outer();
        Assert.Equal(new[] { "scale", "layer.sub.weight", "layer.sub.bias" }, outer.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { "", "layer", "layer.sub" }, outer.NamedModules().Select(x => x.Name));
        // PyTorch saves a module's own parameters and buffers before recursing into its children
        Assert.Equal(new[] { "scale", "layer.steps", "layer.sub.weight", "layer.sub.bias" }, outer.StateDict().Keys);
        Assert.Equal(new[] { "layer.steps", "layer.scratch" }, outer.NamedBuffers().Select(b => b.Name));
    }

    sealed class Inner : Module
    {
        public Inner()
        {
            RegisterModule("sub", new Linear(2, 2));
            RegisterBuffer("steps", Torch.Zeros(1));
            RegisterBuffer("scratch", Torch.Zeros(1), persistent: false);
        }
    }

    sealed class Outer : Module
    {
        public Outer()
        {
            RegisterParameter("scale", new Parameter(Torch.Ones(1)));
            RegisterModule("layer", new Inner());
        }
    }

    [Fact]
    public void SharedModulesAreListedOnceButSavedUnderEveryName()
    {
        var l = new Linear(2, 2);
        var s = new Sequential(l, l);
        Assert.Equal(2, s.Count);
        Assert.Same(l, s[1]);
        Assert.Equal(new[] { "0.weight", "0.bias" }, s.NamedParameters().Select(p => p.Name));
        Assert.Equal(2, s.Parameters().Count());
        Assert.Equal(new[] { "", "0" }, s.NamedModules().Select(x => x.Name));
        Assert.Single(s.Children());
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, s.StateDict().Keys);
        var e = Assert.Throws<InvalidOperationException>(() => s.LoadStateDict(new Sequential(new Linear(2, 2)).StateDict()));
        Assert.Equal("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"1.weight\", \"1.bias\". ", e.Message);
        Assert.Equal("Sequential(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): Linear(in_features=2, out_features=2, bias=True)\n)", s.ToString());
        // forward runs the shared layer twice, as PyTorch iterates _modules.values()
        using (Torch.NoGrad())
        {
            l.Weight.Copy_(Torch.Eye(2) * 2);
            l.Bias!.Zero_();
        }
        Assert.Equal(new float[] { 4, 8 }, s.Call(Torch.FromArray(new float[] { 1, 2 })).ToArray<float>());
    }

    [Fact]
    public void LoadStateDictErrorsUsePyTorchText()
    {
        var m = new Sequential(new Linear(4, 3));
        var missing = Assert.Throws<InvalidOperationException>(() => m.LoadStateDict(new StateDict()));
        Assert.Equal("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.weight\", \"0.bias\". ", missing.Message);
        var state = new StateDict { ["0.weight"] = Torch.Zeros(3, 4), ["extra"] = Torch.Zeros(1) };
        var both = Assert.Throws<InvalidOperationException>(() => m.LoadStateDict(state));
        Assert.Equal("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.bias\". \n\tUnexpected key(s) in state_dict: \"extra\". ", both.Message);
        var shape = new StateDict { ["0.weight"] = Torch.Zeros(3, 5), ["0.bias"] = Torch.Zeros(3) };
        var size = Assert.Throws<InvalidOperationException>(() => m.LoadStateDict(shape));
        Assert.Equal("Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 0.weight: copying a param with shape torch.Size([3, 5]) from checkpoint, the shape in current model is torch.Size([3, 4]).", size.Message);
        // a size mismatch is an error even when not strict
        Assert.Throws<InvalidOperationException>(() => m.LoadStateDict(shape, strict: false));
    }

    [Fact]
    public void TrainEvalRecurseAndApplyVisitsChildrenFirst()
    {
        var m = Nested();
        m.Eval();
        Assert.All(m.Modules(), x => Assert.False(x.Training));
        m.Train();
        Assert.All(m.Modules(), x => Assert.True(x.Training));
        ((Sequential)m[2]).Eval();
        Assert.True(m.Training);
        Assert.False(((Sequential)m[2])[1].Training);
        var order = new List<string>();
        m.Apply(x => order.Add(x.GetType().Name));
        Assert.Equal(new[] { "Linear", "ReLU", "Linear", "BatchNorm1d", "Sequential", "Sequential" }, order);
    }

    [Fact]
    public void ZeroGradSetsToNoneByDefaultAndRequiresGradFlipsEveryParameter()
    {
        var m = new Sequential(new Linear(2, 2));
        m.Call(Torch.Ones(1, 2)).Sum().Backward();
        var grad = m[0].Parameters().First().Grad!;
        m.ZeroGrad(setToNone: false);
        Assert.Same(grad, m[0].Parameters().First().Grad); // zeroed in place, as PyTorch does
        Assert.All(m.Parameters(), p => Assert.Equal(0f, p.Grad!.Abs().Sum().Item<float>()));
        m.ZeroGrad();
        Assert.All(m.Parameters(), p => Assert.Null(p.Grad));
        Assert.Same(m, m.RequiresGrad_(false));
        Assert.All(m.Parameters(), p => Assert.False(p.RequiresGrad));
        Assert.False(m.Call(Torch.Ones(1, 2)).RequiresGrad);
        m.RequiresGrad_();
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void ReprIndentsNestedChildren()
    {
        Assert.Equal(
            "Sequential(\n" +
            "  (0): Linear(in_features=4, out_features=3, bias=True)\n" +
            "  (1): ReLU()\n" +
            "  (2): Sequential(\n" +
            "    (0): Linear(in_features=3, out_features=2, bias=True)\n" +
            "    (1): BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n" +
            "  )\n" +
            ")", Nested().ToString());
    }

    sealed class TwoLineRepr : Module
    {
        public override string ExtraRepr() => "a=1\nb=2";
    }

    sealed class WithEmptySlot : Module
    {
        public WithEmptySlot()
        {
            RegisterModule("head", null);
            RegisterModule("body", new ReLU());
        }
    }

    [Fact]
    public void ReprOfMultiLineExtraReprAndUnsetChildren()
    {
        Assert.Equal("TwoLineRepr(\n  a=1\n  b=2\n)", new TwoLineRepr().ToString());
        Assert.Equal("WithEmptySlot(\n  (head): None\n  (body): ReLU()\n)", new WithEmptySlot().ToString());
        Assert.Equal(new[] { "body" }, new WithEmptySlot().NamedChildren().Select(c => c.Name));
    }

    [Fact]
    public void ContainersIndexLikePyTorch()
    {
        var s = new Sequential(new Linear(1, 1), new ReLU());
        Assert.IsType<ReLU>(s[-1]);
        Assert.Equal("index 2 is out of range", Assert.Throws<IndexOutOfRangeException>(() => s[2]).Message);
        Assert.Equal("index -3 is out of range", Assert.Throws<IndexOutOfRangeException>(() => s[-3]).Message);
        s.Append(new Tanh());
        Assert.Equal(3, s.Count);
        Assert.Equal("2", s.NamedChildren().Last().Name);

        var list = new ModuleList(new ReLU(), new Tanh());
        Assert.IsType<Tanh>(list[-1]);
        Assert.Equal("index 2 is out of range", Assert.Throws<IndexOutOfRangeException>(() => list[2]).Message);
        list.Extend([new ReLU()]);
        Assert.Equal(new[] { "0", "1", "2" }, list.NamedChildren().Select(c => c.Name));

        var seq = new Sequential(new Linear(1, 1), new ReLU(), new Tanh(), new Sigmoid());
        Assert.Equal(new[] { "1", "2" }, seq.Slice(1, 3).NamedChildren().Select(c => c.Name)); // names are kept
        Assert.Same(seq[3], seq[^1..][0]);
        Assert.Equal(new[] { "0", "1", "2" }, seq[..^1].NamedChildren().Select(c => c.Name));
        Assert.Equal(0, seq.Slice(3, 1).Count);
        Assert.Equal(new[] { "0", "1" }, new ModuleList(new ReLU(), new Tanh(), new Sigmoid()).Slice(-2, null).NamedChildren().Select(c => c.Name)); // renumbered

        var dict = new ModuleDict(new Dictionary<string, Module> { ["a"] = new ReLU(), ["b"] = new Linear(1, 2) });
        Assert.Equal(new[] { "a", "b" }, dict.Keys);
        Assert.Equal(new[] { "b.weight", "b.bias" }, dict.NamedParameters().Select(p => p.Name));
        Assert.Equal("ModuleDict(\n  (a): ReLU()\n  (b): Linear(in_features=1, out_features=2, bias=True)\n)", dict.ToString());
    }

    [Fact]
    public void ModuleListReprCompressesRunsOfIdenticalChildren()
    {
        var list = new ModuleList(new Linear(2, 2), new Linear(2, 2), new Linear(2, 2), new ReLU(), new Sequential(new ReLU()), new Sequential(new ReLU()));
        Assert.Equal(
            "ModuleList(\n" +
            "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n" +
            "  (3): ReLU()\n" +
            "  (4-5): 2 x Sequential(\n" +
            "    (0): ReLU()\n" +
            "  )\n" +
            ")", list.ToString());
        Assert.Equal("ModuleList()", new ModuleList().ToString());
        Assert.Equal("Sequential(\n  (0): ModuleList(\n    (0-1): 2 x ReLU()\n  )\n)", new Sequential(new ModuleList(new ReLU(), new ReLU())).ToString());
    }
}
