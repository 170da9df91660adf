using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Autograd behaviours of the foundation issue, including the seed notes' examples.</summary>
public class AutogradTests
{
    [Fact]
    public void SeedExample_PowMulMean()
    {
        var x = Torch.Ones([2, 2], requiresGrad: true);
        var y = x.Pow(2);
        var z = y * y * 3;
        var o = z.Mean();
        Assert.Equal("PowBackward0", y.GradFn!.Name);
        Assert.Equal("MulBackward0", z.GradFn!.Name);
        Assert.Equal("MeanBackward0", o.GradFn!.Name);
        Assert.Equal(3f, o.Item<float>());
        o.Backward();
        // d/dx 3x^4/4 = 3x^3 = 3
        Assert.Equal(new float[] { 3, 3, 3, 3 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void SeedExample_VectorJacobianProduct()
    {
        Torch.ManualSeed(0);
        var j = Torch.Randn([3], requiresGrad: true);
        var k = j * 2;
        int m = 0;
        while (k.Norm().Item<float>() < 1000) { k = k * 2; m++; }
        var v = Torch.FromArray(new float[] { 0.1f, 1.0f, 0.0001f });
        k.Backward(v);
        var expected = new[] { 0.1f, 1.0f, 0.0001f }.Select(e => e * MathF.Pow(2, m + 1)).ToArray();
        Assert.Equal(expected, j.Grad!.ToArray<float>());
        var e = Assert.Throws<InvalidOperationException>(() => (j * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", e.Message);
    }

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        var x = Torch.Ones([2, 2], requiresGrad: true);
        (x * 1).Sum().Backward();
        (x * 1).Sum().Backward();
        Assert.Equal(new float[] { 2, 2, 2, 2 }, x.Grad!.ToArray<float>());
        x.Grad!.Zero_();
        (x * 1).Sum().Backward();
        Assert.Equal(new float[] { 1, 1, 1, 1 }, x.Grad!.ToArray<float>());
        x.Grad = null;
        (x * 1).Sum().Backward();
        Assert.Equal(new float[] { 1, 1, 1, 1 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void SecondBackwardNeedsRetainGraph()
    {
        var x = Torch.FromArray(new float[] { 1, 2, 3 }, requiresGrad: true);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.StartsWith("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed).", e.Message);

        x.Grad = null;
        var w = (x * x).Sum();
        w.Backward(retainGraph: true);
        w.Backward();
        Assert.Equal(new float[] { 4, 8, 12 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void RetainGradKeepsNonLeafGradients()
    {
        var x = Torch.FromArray(new float[] { 1, 2 }, requiresGrad: true);
        var h = x * 3;
        var other = x * 4;
        h.RetainGrad();
        (h * h + other).Sum().Backward();
        Assert.True(h.RetainsGrad);
        Assert.Equal(new float[] { 6, 12 }, h.Grad!.ToArray<float>());
        Assert.Null(other.Grad);
        Assert.Equal(new float[] { 22, 40 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void HooksSeeAndReplaceGradients()
    {
        var x = Torch.FromArray(new float[] { 1, 2 }, requiresGrad: true);
        var seen = new List<float[]>();
        x.RegisterHook(g => { seen.Add(g.ToArray<float>()); return null; });
        var h = x * 3;
        h.RegisterHook(g => g * 10);
        h.Sum().Backward();
        Assert.Equal(new float[] { 30, 30 }, seen.Single());
        Assert.Equal(new float[] { 30, 30 }, x.Grad!.ToArray<float>());
        Assert.Throws<InvalidOperationException>(() => Torch.Ones(2).RegisterHook(g => g));
    }

    [Fact]
    public void NoGradAndEnableGradScopesNest()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        Assert.True(Torch.IsGradEnabled());
        using (Torch.NoGrad())
        {
            Assert.False((x * 2).RequiresGrad);
            using (Torch.EnableGrad())
            {
                Assert.True(Torch.IsGradEnabled());
                Assert.Equal("MulBackward0", (x * 2).GradFn!.Name);
                using (Torch.NoGrad()) Assert.Null((x * 2).GradFn);
                Assert.True(Torch.IsGradEnabled());
            }
            Assert.False(Torch.IsGradEnabled());
        }
        Assert.True(Torch.IsGradEnabled());
        using (Torch.SetGradEnabled(false)) Assert.False(Torch.IsGradEnabled());
        Assert.True((x * 2).RequiresGrad);
    }

    [Fact]
    public void DetachSharesStorageAndVersionCounter()
    {
        var x = Torch.FromArray(new float[] { 1, 2, 3 }, requiresGrad: true);
        var y = x * 2;
        var d = y.Detach();
        Assert.False(d.RequiresGrad);
        Assert.Null(d.GradFn);
        Assert.True(d.SharesStorageWith(y));
        d.Fill_(5);
        Assert.Equal(new float[] { 5, 5, 5 }, y.ToArray<float>());
        Assert.Equal(y.Version, d.Version);
        Assert.Equal(1, y.Version);
    }

    [Fact]
    public void DataIsNotRecordedAndHasItsOwnVersionCounter()
    {
        var x = Torch.FromArray(new float[] { 1, 2 }, requiresGrad: true);
        var data = x.Data;
        Assert.False(data.RequiresGrad);
        Assert.True(data.SharesStorageWith(x));
        data.Mul_(100);  // x.data *= 100
        Assert.Equal(0, x.Version);
        Assert.Equal(1, data.Version);
        Assert.Equal(new float[] { 100, 200 }, x.ToArray<float>());
        var y = x * x;
        x.Data.Fill_(1);  // not seen by the saved-tensor check
        y.Sum().Backward();
        Assert.Equal(new float[] { 2, 2 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void ModifyingASavedTensorInPlaceFailsBackward()
    {
        var a = Torch.FromArray(new float[] { 1, 2, 3 }, requiresGrad: true);
        var b = a.Exp();
        b.Add_(1);
        var e = Assert.Throws<InvalidOperationException>(() => b.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: ", e.Message);
    }

    [Fact]
    public void RequiresGradOnIntegerTensorsIsRefused()
    {
        var i = Torch.FromArray(new long[] { 1, 2 });
        var e = Assert.Throws<InvalidOperationException>(() => i.RequiresGrad = true);
        Assert.Equal("only Tensors of floating point and complex dtype can require gradients", e.Message);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradIsRefused()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        var e = Assert.Throws<InvalidOperationException>(() => x.Add_(1));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        using (Torch.NoGrad()) x.Add_(1);
        Assert.Equal(new float[] { 2, 2 }, x.ToArray<float>());
    }

    [Fact]
    public void NextFunctionsWalkTheGraph()
    {
        var a = Torch.Ones([2], requiresGrad: true);
        var b = Torch.Ones([2]);
        var y = (a * b).Exp();
        Assert.Equal("ExpBackward0", y.GradFn!.Name);
        var mul = y.GradFn.NextFunctions.Single().Function!;
        Assert.Equal("MulBackward0", mul.Name);
        Assert.Equal(2, mul.NextFunctions.Count);
        Assert.Equal("AccumulateGrad", mul.NextFunctions[0].Function!.Name);
        Assert.Same(a, ((PSTorch.Autograd.AccumulateGrad)mul.NextFunctions[0].Function!).Variable);
        Assert.Null(mul.NextFunctions[1].Function);
        Assert.True(a.IsLeaf);
        Assert.False(y.IsLeaf);
    }

    [Fact]
    public void BackwardGradientMustMatchShape()
    {
        var x = Torch.Ones([3], requiresGrad: true);
        var e = Assert.Throws<ArgumentException>(() => (x * 2).Backward(Torch.Ones(2)));
        Assert.Equal("Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).", e.Message);
    }

    [Fact]
    public void SeedExample_TransposeIsNotContiguous()
    {
        var a = Torch.FromArray(Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), [3, 4]);
        var b = a.T();
        Assert.False(b.IsContiguous());
        var e = Assert.Throws<InvalidOperationException>(() => b.View(-1));
        Assert.Equal("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.", e.Message);
        var flat = b.Flatten();
        Assert.False(flat.SharesStorageWith(a));
        Assert.Equal(new long[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, flat.ToArray<long>());
        b[0, 0] = 100;
        Assert.Equal(0, flat.ToArray<long>()[0]);
        Assert.Equal(100L, a[0, 0].Item());
        var r = b.Reshape(-1);
        Assert.Equal(new long[] { 12 }, r.Shape);
        Assert.Equal(new long[] { 100, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, r.ToArray<long>());
    }
}
