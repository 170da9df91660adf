using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// After backward, what the graph saved for itself and the gradients only the engine held are released at once;
/// tensors the caller can still reach (gradients passed in, seen by hooks, kept as .Grad) stay valid.
/// </summary>
public class BackwardReleaseTests
{
    [Fact]
    public void ConvolutionReleasesItsSavedOperandsAfterBackward()
    {
        var x = Torch.Randn([2, 3, 6, 6], requiresGrad: true);
        var w = Torch.Randn([4, 3, 3, 3], requiresGrad: true);
        var y = Functional.Conv2d(x, w, padding: 1);
        y.Backward(Torch.OnesLike(y));
        var storage = x.UntypedStorage;
        x.Dispose();
        Assert.True(storage.IsReleased);
    }

    [Fact]
    public void MaxPoolIndicesAreReleasedAfterBackwardEvenWhenReturned()
    {
        var x = Torch.Randn([1, 2, 6, 6], requiresGrad: true);
        var (values, indices) = Functional.MaxPool2dWithIndices(x, [2]);
        var kept = indices.ToArray<long>();
        indices.Dispose();
        values.Backward(Torch.OnesLike(values));
        Assert.True(indices.UntypedStorage.IsReleased);
        // the backward still used them: every window's gradient reached its maximum
        var grad = x.Grad!.View(2, 36).ToArray<float>();
        for (int i = 0; i < kept.Length; i++) Assert.Equal(1f, grad[i / 9 * 36 + kept[i]]);
    }

    [Fact]
    public void GradientsTheCallerHoldsStayValid()
    {
        var x = Torch.Randn([3, 4], requiresGrad: true);
        var gy = Torch.Randn([3, 4]);
        Tensor? seen = null;
        var h = x.Exp();
        h.RegisterHook(g => { seen = g; return null; });
        var y = h + h;
        y.Backward(gy);
        Assert.Equal(gy.ToArray<float>(), gy.Clone().ToArray<float>()); // still readable
        Assert.False(gy.UntypedStorage.IsReleased);
        Assert.True(seen!.AllClose(gy * 2));
        Assert.True(x.Grad!.AllClose(gy * 2 * x.Detach().Exp()));
        // a second backward accumulates into the kept gradient
        var first = x.Grad!.Clone();
        (x * 3).Backward(gy);
        Assert.True(x.Grad!.AllClose(first + gy * 3));
    }

    [Fact]
    public void LinearWeightGradientArrivesContiguousAndCorrect()
    {
        var layer = new Linear(5, 3);
        var x = Torch.Randn(4, 5);
        var gy = Torch.Randn(4, 3);
        layer.Call(x).Backward(gy);
        Assert.True(layer.Weight.Grad!.IsContiguous());
        Assert.True(layer.Weight.Grad!.AllClose(gy.T().Mm(x), 1e-5, 1e-6));
        Assert.True(layer.Bias!.Grad!.AllClose(gy.Sum([0]), 1e-5, 1e-6));
        var w = Torch.Randn([3, 5], DType.Float64, requiresGrad: true);
        var a = Torch.Randn([4, 5], DType.Float64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => t[0].Mm(t[1].T()), [a, w]));
    }
}

/// <summary>Sequential releases intermediate outputs only library layers saw; anything a hook or user module holds stays valid.</summary>
public class SequentialReleaseTests
{
    sealed class Stash : Module
    {
        public Tensor? Seen;
        public override Tensor Forward(Tensor input) => Seen = input;
    }

    [Fact]
    public void GradientsMatchTheLayersCalledOneByOne()
    {
        var fc1 = new Linear(6, 5); var fc2 = new Linear(5, 3);
        var model = new Sequential([("fc1", fc1), ("relu", new ReLU()), ("fc2", fc2)]);
        var x = Torch.Randn(4, 6);
        var gy = Torch.Randn(4, 3);
        model.Call(x).Backward(gy);
        var w1 = fc1.Weight.Grad!.Clone(); var w2 = fc2.Weight.Grad!.Clone();
        model.ZeroGrad();
        fc2.Call(fc1.Call(x).Relu()).Backward(gy);
        Assert.True(fc1.Weight.Grad!.AllClose(w1));
        Assert.True(fc2.Weight.Grad!.AllClose(w2));
        Assert.False(x.UntypedStorage.IsReleased);
    }

    [Fact]
    public void OutputsSeenByHooksOrUserModulesStayValid()
    {
        Tensor? hooked = null;
        var relu = new ReLU();
        using var handle = relu.RegisterForwardHook((_, _, output) => { hooked = output; return null; });
        var stash = new Stash();
        var model = new Sequential([("fc1", new Linear(6, 5)), ("relu", relu), ("fc2", new Linear(5, 4)), ("stash", stash), ("fc3", new Linear(4, 2))]);
        var y = model.Call(Torch.Randn(3, 6));
        y.Sum().Backward();
        Assert.True(hooked!.Ge(0).All().Item<bool>());
        Assert.Equal(new long[] { 3, 4 }, stash.Seen!.Shape);
        Assert.Equal(12, stash.Seen!.ToArray<float>().Length);
    }

    [Fact]
    public void AGradientDeliveredToSeveralNodes_IsNotDisposedUnderTheLaterOnes()
    {
        // AddBackward passes the (engine-made) root gradient on twice; the first MulBackward to finish must not free it.
        var x = Torch.FromArray(new double[] { 1, 2, 3 }).RequiresGrad_();
        (x.Sum() * 0.1 + x.Sum() * 0.2).Backward();
        Assert.Equal(new[] { 0.3, 0.3, 0.3 }, x.Grad!.ToArray<double>().Select(v => Math.Round(v, 12)));

        var y = Torch.FromArray(new double[] { 1, 2 }).RequiresGrad_();
        var logp = y.LogSoftmax(0);
        (logp.Sum() * 0.5 + logp.Sum() * 0.25 + (logp * 3).Sum()).Backward();
        var p = y.Detach().Softmax(0).ToArray<double>();
        Assert.Equal(new[] { 3.75 * (1 - 2 * p[0]), 3.75 * (1 - 2 * p[1]) }, y.Grad!.ToArray<double>().Select(v => Math.Round(v, 12)),
            (a, b) => Math.Abs(a - b) < 1e-9);
    }
}
