using PSTorch;
using PSTorch.Autograd;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>The custom Exp of PyTorch's tutorial: saves its output for backward.</summary>
sealed class MyExp : Function
{
    public override Tensor Forward(FunctionContext ctx, params Tensor[] inputs)
    {
        var result = inputs[0].Exp();
        ctx.SaveForBackward(result);
        return result;
    }

    public override Tensor?[] Backward(FunctionContext ctx, params Tensor[] gradOutputs) => [gradOutputs[0] * ctx.SavedTensors[0]];
}

/// <summary>P3(x) = (5x^3 - 3x) / 2, PyTorch's LegendrePolynomial3 example.</summary>
sealed class LegendrePolynomial3 : Function
{
    public override Tensor Forward(FunctionContext ctx, params Tensor[] inputs)
    {
        ctx.SaveForBackward(inputs[0]);
        return 0.5 * (5 * inputs[0].Pow(3) - 3 * inputs[0]);
    }

    public override Tensor?[] Backward(FunctionContext ctx, params Tensor[] gradOutputs)
    {
        var x = ctx.SavedTensors[0];
        return [gradOutputs[0] * 1.5 * (5 * x.Pow(2) - 1)];
    }
}

public class CustomFunctionTests
{
    static Tensor Input() => Torch.FromArray(new double[] { -0.7, 0.1, 0.9, 1.3 }, requiresGrad: true);

    [Fact]
    public void SubclassGetsNamedNodeAndCorrectGradients()
    {
        var x = Input();
        var y = new MyExp().Apply(x);
        Assert.Equal("MyExpBackward", y.GradFn!.Name);
        Assert.Same(x.GradAccumulatorForTests(), y.GradFn.NextFunctions[0].Function);
        Assert.True(Torch.GradCheck(a => new MyExp().Apply(a[0]), [x]));
        Assert.True(Torch.GradCheck(a => new LegendrePolynomial3().Apply(a[0].T()), [Torch.FromArray(new double[] { 0.2, -0.4, 0.6, 0.8 }, [2, 2], requiresGrad: true)]));
    }

    [Fact]
    public void ForwardRunsWithoutRecording()
    {
        bool? recorded = null;
        var f = CustomFunction.Create("Probe", (ctx, xs) => { recorded = Torch.IsGradEnabled(); return xs[0] * 2; }, (ctx, g) => [g[0] * 2]);
        var y = f.Apply(Input());
        Assert.False(recorded);
        Assert.Equal("ProbeBackward", y.GradFn!.Name);
        Assert.Equal("AccumulateGrad", y.GradFn.NextFunctions.Single().Function!.Name);
    }

    [Fact]
    public void DelegateFormWithSeveralInputsAndItems()
    {
        var mulAdd = CustomFunction.Create("MulAdd",
            (ctx, xs) => { ctx.SaveForBackward(xs[0], xs[1]); ctx.Items["scale"] = 3.0; return xs[0] * xs[1] * 3 + xs[2]; },
            (ctx, g) =>
            {
                var s = ctx.SavedTensors;
                double scale = (double)ctx.Items["scale"]!;
                return [ctx.NeedsInputGrad[0] ? g[0] * s[1] * scale : null, ctx.NeedsInputGrad[1] ? g[0] * s[0] * scale : null, g[0]];
            });
        var a = Input();
        var b = Torch.FromArray(new double[] { 2, 3, -1, 0.5 }, requiresGrad: true);
        var c = Torch.FromArray(new double[] { 1.0 }, requiresGrad: true);  // broadcast: its gradient is summed to [1]
        Assert.True(Torch.GradCheck(x => mulAdd.Apply(x[0], x[1], x[2]), [a, b, c]));
        var constant = Torch.FromArray(new double[] { 1, 1, 1, 1 });
        var seen = new List<bool[]>();
        var probe = CustomFunction.Create("Needs", (ctx, xs) => xs[0] * xs[1], (ctx, g) => { seen.Add(ctx.NeedsInputGrad); return [g[0], null]; });
        probe.Apply(a, constant).Sum().Backward();
        Assert.Equal(new[] { true, false }, seen.Single());
    }

    [Fact]
    public void SavedTensorsAreVersionCheckedAndReleased()
    {
        var x = Input();
        var y = new MyExp().Apply(x);
        y.Sum().Backward(retainGraph: true);
        y.Sum().Backward();
        Assert.Equal(2 * Math.Exp(0.1), x.Grad!.ToArray<double>()[1], 10);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("Trying to backward through the graph a second time", e.Message);

        var z = new MyExp().Apply(x);
        using (Torch.NoGrad()) z.Mul_(2);
        var e2 = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
        Assert.Contains("has been modified by an inplace operation", e2.Message);
        Assert.Contains("(MyExpBackward)", e2.Message);
        Assert.Contains("which is output 0 of MyExpBackward, is at version 1; expected version 0 instead.", e2.Message);
    }

    [Fact]
    public void NonDifferentiableAndNoGradInputs()
    {
        var f = CustomFunction.Create("Flag", (ctx, xs) => { var r = xs[0] * 1; ctx.MarkNonDifferentiable(r); return r; }, (ctx, g) => [g[0]]);
        var r = f.Apply(Input());
        Assert.Null(r.GradFn);
        Assert.False(r.RequiresGrad);
        var plain = new MyExp().Apply(Torch.Ones(2));
        Assert.Null(plain.GradFn);
        using (Torch.NoGrad()) Assert.Null(new MyExp().Apply(Input()).GradFn);
    }

    [Fact]
    public void WrongGradientsAreReported()
    {
        var tooFew = CustomFunction.Create("Few", (ctx, xs) => xs[0] + xs[1], (ctx, g) => [g[0]]);
        var e = Assert.Throws<InvalidOperationException>(() => tooFew.Apply(Input(), Input()).Sum().Backward());
        Assert.Equal("function FewBackward returned an incorrect number of gradients (expected 2, got 1)", e.Message);
        var badShape = CustomFunction.Create("Bad", (ctx, xs) => xs[0] * 2, (ctx, g) => [Torch.Ones(3)]);
        e = Assert.Throws<InvalidOperationException>(() => badShape.Apply(Input()).Sum().Backward());
        Assert.Equal("Function BadBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [4]", e.Message);
    }

    [Fact]
    public void ReturningAnInputLeavesItsGraphAlone()
    {
        var x = Input();
        var identity = CustomFunction.Create("Identity", (ctx, xs) => xs[0], (ctx, g) => [g[0]]);
        var y = identity.Apply(x);
        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        Assert.Equal("IdentityBackward", y.GradFn!.Name);
        Assert.True(y.SharesStorageWith(x));
    }
}

static class NodeTestExtensions
{
    /// <summary>The AccumulateGrad node of a leaf, as next_functions shows it.</summary>
    public static Node GradAccumulatorForTests(this Tensor leaf) => (leaf * 1).GradFn!.NextFunctions[0].Function!;
}
