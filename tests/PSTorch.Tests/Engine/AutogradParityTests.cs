using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Autograd semantics checked against what PyTorch does (messages, leaf rules, hooks, higher order).</summary>
public class AutogradParityTests
{
    static Tensor F64(params double[] v) => Torch.FromArray(v).To(DType.Float64);

    [Fact]
    public void SecondBackwardWithoutRetainGraphFailsWithPyTorchText_AndRetainGraphAllowsIt()
    {
        var x = F64(1, 2).RequiresGrad_();
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal(new[] { 4.0, 8.0 }, x.Grad!.ToArray<double>());
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.StartsWith("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
            "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True", e.Message);
    }

    [Fact]
    public void NonScalarBackwardWithoutGradientIsRefused()
    {
        var x = F64(1, 2).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", e.Message);
        var none = Assert.Throws<InvalidOperationException>(() => F64(1, 2).Sum().Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", none.Message);
    }

    [Fact]
    public void GradOfANonLeafIsNullUnlessRetained()
    {
        var x = F64(1, 2).RequiresGrad_();
        var y = x * 3;
        var z = y * 2;
        z.RetainGrad();
        z.Sum().Backward();
        Assert.Null(y.Grad);
        Assert.False(y.RetainsGrad);
        Assert.True(z.RetainsGrad);
        Assert.Equal(new[] { 1.0, 1.0 }, z.Grad!.ToArray<double>());
        Assert.Equal(new[] { 6.0, 6.0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void RetainedGradIsTakenAfterTheTensorsOtherHooks()
    {
        // PyTorch: retains_grad hooks always run last, whatever the registration order
        var x = F64(1, 2).RequiresGrad_();
        var y = x * 1;
        y.RetainGrad();
        y.RegisterHook(g => g * 10);
        y.Sum().Backward();
        Assert.Equal(new[] { 10.0, 10.0 }, y.Grad!.ToArray<double>());
        Assert.Equal(new[] { 10.0, 10.0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void LeafHookModifiesTheAccumulatedGradient()
    {
        var x = F64(1, 2).RequiresGrad_();
        x.RegisterHook(g => g * 2);
        (x * x).Sum().Backward();
        Assert.Equal(new[] { 4.0, 8.0 }, x.Grad!.ToArray<double>());
        var e = Assert.Throws<InvalidOperationException>(() => F64(1).RegisterHook(g => g));
        Assert.Equal("cannot register a hook on a tensor that doesn't require gradient", e.Message);
    }

    [Fact]
    public void HooksApplyToGradientsAutogradGradReturnsAndCanBeRemoved()
    {
        var x = F64(1, 2).RequiresGrad_();
        var handle = x.RegisterHook(g => g * 3);
        var y = (x * x).Sum();
        Assert.Equal(new[] { 6.0, 12.0 }, Torch.Grad([y], [x], retainGraph: true)[0]!.ToArray<double>());
        handle.Dispose();
        Assert.Equal(new[] { 2.0, 4.0 }, Torch.Grad([y], [x], retainGraph: true)[0]!.ToArray<double>());
        var h = x * 1;
        using (h.RegisterHook(g => g * 5))
            Assert.Equal(new[] { 5.0, 5.0 }, Torch.Grad([h.Sum()], [h])[0]!.ToArray<double>());
        y.Backward();
        Assert.Equal(new[] { 2.0, 4.0 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void RequiresGradRules()
    {
        var x = F64(1, 2).RequiresGrad_();
        var y = x * 2;
        y.RequiresGrad_(); // already requires grad: allowed on a non-leaf
        var e = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad_(false));
        Assert.StartsWith("you can only change requires_grad flags of leaf variables.", e.Message);
        var i = Assert.Throws<InvalidOperationException>(() => Torch.FromArray(new long[] { 1 }).RequiresGrad_());
        Assert.Equal("only Tensors of floating point and complex dtype can require gradients", i.Message);
        Torch.FromArray(new long[] { 1 }).RequiresGrad_(false); // turning it off is always fine
        // the property setter refuses any change on a non-leaf, even to true (the message then has no hint)
        var set = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true);
        Assert.Equal("you can only change requires_grad flags of leaf variables.", set.Message);
        var unset = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Equal("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().", unset.Message);
    }

    [Fact]
    public void AssignedGradMustMatchTheTensor()
    {
        var x = F64(1, 2).RequiresGrad_();
        var size = Assert.Throws<InvalidOperationException>(() => x.Grad = F64(1, 2, 3));
        Assert.Equal("attempting to assign a gradient of size '[3]' to a tensor of size '[2]'. Please ensure that the gradient and the tensor are the same size", size.Message);
        var type = Assert.Throws<InvalidOperationException>(() => x.Grad = Torch.Ones(2));
        Assert.Equal("attempting to assign a gradient to a tensor that has data of a different type", type.Message);
        var self = Assert.Throws<InvalidOperationException>(() => x.Grad = x);
        Assert.Equal("can't assign Variable as its own grad", self.Message);
        var g = F64(5, 6);
        x.Grad = g;
        Assert.Same(g, x.Grad);
        (x * 1).Sum().Backward();
        Assert.Equal(new[] { 6.0, 7.0 }, x.Grad!.ToArray<double>());
        x.Grad = null;
        Assert.Null(x.Grad);
    }

    [Fact]
    public void LeafRules()
    {
        var w = F64(1, 2).RequiresGrad_();
        Tensor made;
        using (Torch.NoGrad()) made = w * 2;
        Assert.True(made.IsLeaf);
        Assert.False(made.RequiresGrad);
        Assert.Null(made.GradFn);
        var plain = F64(1, 2) * 2;
        Assert.True(plain.IsLeaf);
        Assert.False(plain.RequiresGrad);
        Assert.False((w * 2).IsLeaf);
        Assert.True(w.IsLeaf);
        var d = (w * 2).Detach();
        Assert.True(d.IsLeaf);
        Assert.False(d.RequiresGrad);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradIsRefusedOnlyUnderGradMode()
    {
        var w = F64(1, 2).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => w.Add_(F64(1, 1)));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        using (Torch.NoGrad()) w.Add_(F64(1, 1));
        Assert.Equal(new[] { 2.0, 3.0 }, w.ToArray<double>());
        Assert.True(w.IsLeaf);
    }

    [Fact]
    public void InPlaceOnAViewOfALeafThatRequiresGradIsRefused()
    {
        var w = F64(1, 2, 3, 4).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => w.View(2, 2).Mul_(F64(2)));
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
    }

    [Fact]
    public void InPlaceWithAnOperandThatRequiresGradMakesTheTargetRequireGrad()
    {
        var w = F64(1, 2).RequiresGrad_();
        var x = F64(5, 6);
        x.Add_(w);
        Assert.True(x.RequiresGrad);
        Assert.False(x.IsLeaf);
        Assert.Equal("AddBackward0", x.GradFn!.Name);
        x.Sum().Backward();
        Assert.Equal(new[] { 1.0, 1.0 }, w.Grad!.ToArray<double>());
        var m = F64(5, 6);
        m.Mul_(w);
        Assert.Equal("MulBackward0", m.GradFn!.Name);
    }

    [Fact]
    public void DetachSharesStorageAndVersionCounter_DetachInPlaceCutsTheGraph()
    {
        var x = F64(1, 2).RequiresGrad_();
        var y = x * 2;
        var d = y.Detach();
        int before = y.Version;
        d.Add_(F64(1, 1));
        Assert.Equal(before + 1, y.Version);
        Assert.Equal(new[] { 3.0, 5.0 }, y.ToArray<double>());
        var view = (x * 3).View(2, 1);
        var e = Assert.Throws<InvalidOperationException>(() => view.Detach_());
        Assert.StartsWith("Can't detach views in-place. Use detach() instead.", e.Message);
        var z = x * 3;
        Assert.Same(z, z.Detach_());
        Assert.True(z.IsLeaf);
        Assert.False(z.RequiresGrad);
        Assert.Null(z.GradFn);
    }

    [Fact]
    public void AutogradGradAllowUnusedAndItsError()
    {
        var x = F64(1, 2).RequiresGrad_();
        var u = F64(3).RequiresGrad_();
        var y = (x * x).Sum();
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Grad([y], [x, u], retainGraph: true));
        Assert.Equal("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.", e.Message);
        var g = Torch.Grad([y], [x, u], allowUnused: true);
        Assert.Equal(new[] { 2.0, 4.0 }, g[0]!.ToArray<double>());
        Assert.Null(g[1]);
        Assert.Null(x.Grad); // autograd.grad does not accumulate
        var nr = Assert.Throws<InvalidOperationException>(() => Torch.Grad([(x * 2).Sum()], [F64(1)]));
        Assert.Equal("One of the differentiated Tensors does not require grad", nr.Message);
    }

    [Fact]
    public void GradOfANonLeafInputIsTheGradientFlowingIntoIt()
    {
        var x = F64(1, 2).RequiresGrad_();
        var h = x * 3;
        var y = (h * h).Sum();
        var g = Torch.Grad([y], [h])[0]!;
        Assert.Equal(new[] { 6.0, 12.0 }, g.ToArray<double>());
        Assert.Null(x.Grad);
    }

    [Theory]
    [InlineData("cube")]
    [InlineData("sin")]
    [InlineData("exp")]
    [InlineData("mul")]
    public void CreateGraphGivesSecondDerivatives(string op)
    {
        double[] xs = [0.5, -1.25, 2.0];
        var x = F64(xs).RequiresGrad_();
        Func<Tensor, Tensor> f = op switch
        {
            "cube" => t => t.Pow(3),
            "sin" => t => t.Sin(),
            "exp" => t => t.Exp(),
            _ => t => t * t * t,
        };
        Func<double, double> first = op switch
        {
            "sin" => Math.Cos,
            "exp" => Math.Exp,
            _ => v => 3 * v * v,
        };
        Func<double, double> second = op switch
        {
            "sin" => v => -Math.Sin(v),
            "exp" => Math.Exp,
            _ => v => 6 * v,
        };
        var y = f(x).Sum();
        var dx = Torch.Grad([y], [x], createGraph: true)[0]!;
        Assert.True(dx.RequiresGrad);
        var expected1 = xs.Select(first).ToArray();
        var got1 = dx.ToArray<double>();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(expected1[i], got1[i], 12);
        dx.Sum().Backward();
        var got2 = x.Grad!.ToArray<double>();
        for (int i = 0; i < xs.Length; i++) Assert.Equal(second(xs[i]), got2[i], 12);
    }

    [Fact]
    public void BackwardWithCreateGraphAccumulatesAGradThatHasAGraph()
    {
        var x = F64(2).RequiresGrad_();
        x.Pow(3).Backward(createGraph: true);
        Assert.Equal(12.0, x.Grad!.Item<double>());
        Assert.True(x.Grad.RequiresGrad);
        Assert.Equal("CloneBackward0", x.Grad.GradFn!.Name);
        var g = x.Grad;
        x.Grad = null;
        g.Backward();
        Assert.Equal(12.0, x.Grad!.Item<double>()); // d(3x^2)/dx = 6x
    }

    [Fact]
    public void BackwardWithInputsAccumulatesOnlyIntoThem()
    {
        var a = F64(1, 2).RequiresGrad_();
        var b = F64(3, 4).RequiresGrad_();
        var unused = F64(5).RequiresGrad_();
        var h = a * b;
        var y = (h * 2).Sum();
        y.Backward(retainGraph: true, inputs: [a, unused]);
        Assert.Equal(new[] { 6.0, 8.0 }, a.Grad!.ToArray<double>());
        Assert.Null(b.Grad);
        Assert.Null(unused.Grad);
        y.Backward(inputs: [h]);
        Assert.True(h.RetainsGrad);
        Assert.Equal(new[] { 2.0, 2.0 }, h.Grad!.ToArray<double>());
        Assert.Equal(new[] { 6.0, 8.0 }, a.Grad!.ToArray<double>());
        Assert.Null(b.Grad);
        var e = Assert.Throws<ArgumentException>(() => (a * 2).Sum().Backward(inputs: []));
        Assert.Equal("'inputs' argument to backward() cannot be empty.", e.Message);
    }

    [Fact]
    public void GradOutputShapeMismatchNamesItsIndex()
    {
        var x = F64(1, 2).RequiresGrad_();
        var e = Assert.Throws<ArgumentException>(() => Torch.Grad([x.Sum(), x * 2], [x], [null, F64(1, 2, 3)]));
        Assert.Equal("Mismatch in shape: grad_output[1] has a shape of torch.Size([3]) and output[1] has a shape of torch.Size([2]).", e.Message);
    }

    [Fact]
    public void AutogradGradRunsOnlyThePartOfTheGraphLeadingToItsInputs()
    {
        var x = F64(1, 2).RequiresGrad_();
        var below = x * 3;
        int belowHookCalls = 0;
        below.RegisterHook(g => { belowHookCalls++; return null; });
        var h = below * 1;
        var y = (h * h).Sum();
        var g = Torch.Grad([y], [h], retainGraph: true)[0]!;
        Assert.Equal(new[] { 6.0, 12.0 }, g.ToArray<double>());
        Assert.Equal(0, belowHookCalls);
        Assert.Equal(new[] { 18.0, 36.0 }, Torch.Grad([y], [x])[0]!.ToArray<double>());
        Assert.Equal(1, belowHookCalls);
    }

    [Fact]
    public void GradModeScopesNest()
    {
        Assert.True(Torch.IsGradEnabled());
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled());
            using (Torch.EnableGrad())
            {
                Assert.True(Torch.IsGradEnabled());
                var x = F64(1).RequiresGrad_();
                Assert.True((x * 2).RequiresGrad);
                using (Torch.SetGradEnabled(false)) Assert.False((x * 2).RequiresGrad);
                Assert.True(Torch.IsGradEnabled());
            }
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void NextFunctionsEndInAccumulateGradForLeavesAndNothingForConstants()
    {
        var x = F64(1, 2).RequiresGrad_();
        var c = F64(3, 4);
        var y = x * c;
        var next = y.GradFn!.NextFunctions;
        Assert.Equal(2, next.Count);
        Assert.Equal("AccumulateGrad", next[0].Function!.Name);
        Assert.Equal(0, next[0].InputNr);
        Assert.Null(next[1].Function);
        Assert.Same(x, ((PSTorch.Autograd.AccumulateGrad)next[0].Function!).Variable);
    }
}
