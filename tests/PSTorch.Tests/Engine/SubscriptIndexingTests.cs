using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class SubscriptIndexingTests
{
    static Tensor Arange(long n, params long[] shape) =>
        Torch.FromArray(Enumerable.Range(0, (int)n).Select(i => (float)i).ToArray(), shape.Length == 0 ? [n] : shape);

    static Tensor Arange64(long n, params long[] shape) =>
        Torch.FromArray(Enumerable.Range(0, (int)n).Select(i => (double)i / 7 - 0.5).ToArray(), shape.Length == 0 ? [n] : shape);

    [Fact]
    public void IntegerSelectsAndNegativeCountsFromTheEnd()
    {
        var t = Arange(12, 3, 4);
        Assert.Equal(new float[] { 4, 5, 6, 7 }, t[1].ToArray<float>());
        Assert.Equal(new float[] { 8, 9, 10, 11 }, t[-1].ToArray<float>());
        Assert.Equal(6f, t[1, 2].Item<float>());
        Assert.Equal(11f, t[-1, -1].Item<float>());
        Assert.Empty(t[1, 2].Shape);
    }

    [Fact]
    public void OutOfRangeIndexGivesPyTorchsMessage()
    {
        var t = Arange(12, 3, 4);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t[3]);
        Assert.Equal("index 3 is out of bounds for dimension 0 with size 3", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => t[0, -5]);
        Assert.Equal("index -5 is out of bounds for dimension 1 with size 4", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => t[0, 0, 0]);
        Assert.Equal("too many indices for tensor of dimension 2", e.Message);
    }

    [Fact]
    public void RangesSliceLikePython()
    {
        var t = Arange(6);
        Assert.Equal(new float[] { 1, 2 }, t[1..3].ToArray<float>());
        Assert.Equal(new float[] { 4, 5 }, t[^2..].ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 2, 3 }, t[..^2].ToArray<float>());
        Assert.Empty(t[^0..].ToArray<float>());
        Assert.Equal(6, t[..].Numel());
    }

    [Theory]
    [InlineData("1:3", new float[] { 1, 2 })]
    [InlineData(":", new float[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData("::2", new float[] { 0, 2, 4 })]
    [InlineData("1::2", new float[] { 1, 3, 5 })]
    [InlineData("-2:", new float[] { 4, 5 })]
    [InlineData(":-4", new float[] { 0, 1 })]
    [InlineData("-100:100", new float[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData("4:2", new float[] { })]
    [InlineData("...", new float[] { 0, 1, 2, 3, 4, 5 })]
    public void SliceStringsFollowPythonSemantics(string index, float[] expected)
    {
        var t = Arange(6);
        Assert.Equal(expected, t[index].ToArray<float>());
        Assert.Equal(expected, t.Index(index).ToArray<float>());
    }

    [Fact]
    public void SliceMethodMatchesStringForm()
    {
        var t = Arange(10);
        Assert.Equal(new float[] { 7, 9 }, t[TensorIndex.Slice(-3, null, 2)].ToArray<float>());
        Assert.Equal(new float[] { 1, 4, 7 }, t[TensorIndex.Slice(1, 8, 3)].ToArray<float>());
    }

    [Fact]
    public void NonPositiveStepIsRejected()
    {
        var t = Arange(6);
        Assert.Equal("step must be greater than zero", Assert.Throws<ArgumentException>(() => t["::0"]).Message);
        Assert.Equal("step must be greater than zero", Assert.Throws<ArgumentException>(() => t[TensorIndex.Slice(null, null, -1)]).Message);
    }

    [Fact]
    public void MixedIndicesFromPowerShellStyleArguments()
    {
        var t = Arange(24, 2, 3, 4);
        var r = t.Index(1, "1:3", null, "::3");
        Assert.Equal(new long[] { 2, 1, 2 }, r.Shape);
        Assert.Equal(new float[] { 16, 19, 20, 23 }, r.ToArray<float>());
        Assert.Equal(r.ToArray<float>(), t["1, 1:3, None, ::3"].ToArray<float>());
        Assert.Equal(r.ToArray<float>(), t.Index(1L, 1..3, TensorIndex.None, "::3").ToArray<float>());
    }

    [Fact]
    public void EllipsisAndNoneInsertAndSkipDimensions()
    {
        var t = Arange(24, 2, 3, 4);
        Assert.Equal(new long[] { 2, 3 }, t[TensorIndex.Ellipsis, 1].Shape);
        Assert.Equal(new float[] { 1, 5, 9, 13, 17, 21 }, t["...", 1].ToArray<float>());
        Assert.Equal(new long[] { 1, 2, 3, 4 }, t[TensorIndex.None].Shape);
        Assert.Equal(new long[] { 2, 3, 4, 1 }, t["...", "None"].Shape);
        Assert.Equal(new long[] { 1, 3, 4 }, t[0, TensorIndex.None].Shape);
        Assert.Equal(new long[] { 3, 1, 4 }, t[0, ":", TensorIndex.None].Shape);
        Assert.Throws<IndexOutOfRangeException>(() => t["...", 0, "..."]);
    }

    [Fact]
    public void BasicIndexingReturnsViewsSharingStorage()
    {
        var t = Arange(12, 3, 4);
        var row = t[1];
        var column = t[":", 2];
        var strided = t["::2", "1::2"];
        Assert.True(row.SharesStorageWith(t));
        Assert.True(column.SharesStorageWith(t));
        Assert.True(strided.SharesStorageWith(t));
        Assert.False(column.IsContiguous());
        column.Fill_(-1);
        Assert.Equal(new float[] { 4, 5, -1, 7 }, row.ToArray<float>());
        Assert.Equal(new float[] { 1, 3, 9, 11 }, strided.ToArray<float>());
    }

    [Fact]
    public void IndexTensorGathersACopy()
    {
        var t = Arange(12, 3, 4);
        var idx = Torch.FromArray(new long[] { 2, 0, -1 });
        var r = t[idx];
        Assert.Equal(new long[] { 3, 4 }, r.Shape);
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11 }, r.ToArray<float>());
        Assert.False(r.SharesStorageWith(t));
        var cols = t[":", Torch.FromArray(new long[] { 3, 1 })];
        Assert.Equal(new float[] { 3, 1, 7, 5, 11, 9 }, cols.ToArray<float>());
        var oob = Assert.Throws<IndexOutOfRangeException>(() => t[Torch.FromArray(new long[] { 0, 3 })]);
        Assert.Equal("index 3 is out of bounds for dimension 0 with size 3", oob.Message);
    }

    [Fact]
    public void SeveralIndexTensorsBroadcastTogether()
    {
        var t = Arange(24, 2, 3, 4);
        var rows = Torch.FromArray(new long[] { 0, 1 }, [2, 1]);
        var cols = Torch.FromArray(new long[] { 1, 2, 3 });
        // adjacent advanced indices keep their place: [2, (2,3)] -> [2, 2, 3]
        var adjacent = t[":", rows, cols];
        Assert.Equal(new long[] { 2, 2, 3 }, adjacent.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 5, 6, 7, 13, 14, 15, 17, 18, 19 }, adjacent.ToArray<float>());
        // separated advanced indices move to the front: [(2,), 3]
        var separated = t[Torch.FromArray(new long[] { 1, 0 }), ":", Torch.FromArray(new long[] { 0, 3 })];
        Assert.Equal(new long[] { 2, 3 }, separated.Shape);
        Assert.Equal(new float[] { 12, 16, 20, 3, 7, 11 }, separated.ToArray<float>());
    }

    [Fact]
    public void BoolMaskSelectsTrueElements()
    {
        var t = Arange(6, 2, 3);
        var mask = t > 2.5;
        Assert.Equal(new float[] { 3, 4, 5 }, t[mask].ToArray<float>());
        var rowMask = Torch.FromArray(new[] { false, true });
        Assert.Equal(new long[] { 1, 3 }, t[rowMask].Shape);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t[Torch.FromArray(new[] { true, false, true })]);
        Assert.Equal("The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at index 0", e.Message);
    }

    [Fact]
    public void GradFnNamesOfIndexing()
    {
        var x = Torch.Ones([3, 4], requiresGrad: true);
        Assert.Equal("SelectBackward0", x[0].GradFn!.Name);
        Assert.Equal("SliceBackward0", x["1:"].GradFn!.Name);
        Assert.Equal("UnsqueezeBackward0", x[TensorIndex.None].GradFn!.Name);
        Assert.Equal("IndexBackward0", x[Torch.FromArray(new long[] { 0 })].GradFn!.Name);
    }

    [Fact]
    public void GradCheckBasicIndexing()
    {
        var x = Arange64(24, 2, 3, 4).RequiresGrad_();
        Assert.True(Torch.GradCheck(a => a[0][0]["1:", "::2"] * 3, [x]));
        Assert.True(Torch.GradCheck(a => a[0]["...", -1, TensorIndex.None].Sin(), [x]));
        // non-contiguous input
        Assert.True(Torch.GradCheck(a => a[0].Transpose(0, 2)[1..3, 1].Exp(), [x]));
    }

    [Fact]
    public void GradCheckAdvancedIndexingAccumulatesRepeatedIndices()
    {
        var x = Arange64(12, 3, 4).RequiresGrad_();
        var idx = Torch.FromArray(new long[] { 0, 2, 0, 0 });
        Assert.True(Torch.GradCheck(a => a[0][idx], [x]));
        Assert.True(Torch.GradCheck(a => a[0].T()[":", Torch.FromArray(new long[] { 1, 1, 2 })].Cos(), [x]));
        Assert.True(Torch.GradCheck(a => a[0][a[0].Detach() > 0], [x]));
        var y = x[idx].Sum();
        y.Backward();
        Assert.Equal(new double[] { 3, 3, 3, 3, 0, 0, 0, 0, 1, 1, 1, 1 }, x.Grad!.ToArray<double>());
    }

    [Fact]
    public void SetterWritesThroughViewsAndBumpsTheVersion()
    {
        var t = Arange(12, 3, 4);
        int before = t.Version;
        t[0] = 5;
        Assert.Equal(new float[] { 5, 5, 5, 5 }, t[0].ToArray<float>());
        Assert.Equal(before + 1, t.Version);
        t[":", 1] = Torch.FromArray(new float[] { -1, -2, -3 });
        Assert.Equal(new float[] { 5, -1, 5, 5, 4, -2, 6, 7, 8, -3, 10, 11 }, t.ToArray<float>());
        t["1:", "2:"] = Torch.FromArray(new float[] { 100, 200 });  // broadcast over rows
        Assert.Equal(new float[] { 100, 200, 100, 200 }, t["1:", "2:"].ToArray<float>());
        t.IndexPut_([-1, -1], 0.5);
        Assert.Equal(0.5f, t[2, 3].Item<float>());
        var e = Assert.Throws<ArgumentException>(() => t[0] = Torch.FromArray(new float[] { 1, 2, 3 }));
        Assert.Contains("must match the existing size", e.Message);
    }

    [Fact]
    public void SetterWithIndexTensorAndMask()
    {
        var t = Arange(6, 2, 3);
        t[t > 3.5] = 0;
        Assert.Equal(new float[] { 0, 1, 2, 3, 0, 0 }, t.ToArray<float>());
        t[":", Torch.FromArray(new long[] { 2, 0 })] = Torch.FromArray(new float[] { 7, 8 });
        Assert.Equal(new float[] { 8, 1, 7, 8, 0, 7 }, t.ToArray<float>());
        // a non-contiguous target is written through
        var tt = Arange(6, 2, 3).T();
        tt[Torch.FromArray(new long[] { 1 })] = -1;
        Assert.Equal(new float[] { 0, 3, -1, -1, 2, 5 }, tt.ToArray<float>());
        var e = Assert.Throws<ArgumentException>(() => t[Torch.FromArray(new long[] { 0, 1 })] = Torch.FromArray(new float[] { 1, 2 }));
        Assert.Equal("shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [2, 3]", e.Message);
    }

    [Fact]
    public void SetterOnLeafRequiringGradFollowsInPlaceRules()
    {
        var x = Torch.Ones([3], requiresGrad: true);
        var e = Assert.Throws<InvalidOperationException>(() => x[0] = 2.0);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        using (Torch.NoGrad()) x[0] = 2.0;
        Assert.Equal(new float[] { 2, 1, 1 }, x.ToArray<float>());
    }

    [Fact]
    public void SetterUnderAutogradRecordsCopySlices()
    {
        var a = Torch.FromArray(new double[] { 1, 2, 3, 4 }, requiresGrad: true);
        var v = Torch.FromArray(new double[] { 10, 20 }, requiresGrad: true);
        var y = a * 1;
        y["1:3"] = v;
        Assert.Equal("CopySlices", y.GradFn!.Name);
        Assert.Equal(new double[] { 1, 10, 20, 4 }, y.ToArray<double>());
        (y * Torch.FromArray(new double[] { 1, 2, 3, 4 })).Sum().Backward();
        Assert.Equal(new double[] { 1, 0, 0, 4 }, a.Grad!.ToArray<double>());
        Assert.Equal(new double[] { 2, 3 }, v.Grad!.ToArray<double>());
        Assert.True(Torch.GradCheck(i => { var z = i[0] * 2; z[Torch.FromArray(new long[] { 3, 0 })] = i[1].Exp(); return z; }, [a, v]));
    }

    [Fact]
    public void DoubleBackwardThroughAdvancedIndexingAndCopySlices()
    {
        // loss = sum(x[idx]^3): dloss/dx = 3 x^2 summed at the picked (repeated) positions; d/dx <grad, v> = 6 x v there.
        var x = Torch.FromArray(new double[] { 1, 2, 3, 4 }).RequiresGrad_();
        var v = Torch.FromArray(new double[] { 1, -1, 2, 0.5 });
        var idx = Torch.FromArray(new long[] { 3, 0, 3 });
        var g = Torch.Grad([x[idx].Pow(3).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal(new double[] { 3, 0, 0, 96 }, g.ToArray<double>());
        var hv = Torch.Grad([(g * v).Sum()], [x])[0]!;
        Assert.Equal(new double[] { 6, 0, 0, 24 }, hv.ToArray<double>());

        // z = x * 1 with z[1] = w^2: d/dw of <dz/dw, u> through CopySlices
        var w = Torch.FromArray(new double[] { 3 }).RequiresGrad_();
        var z = x.Detach() * 1;
        z[1] = w.Pow(2);
        var gw = Torch.Grad([(z * z).Sum()], [w], createGraph: true)[0]!;
        Assert.Equal(4 * 27.0, gw.Item<double>());
        Assert.Equal(12 * 9.0, Torch.Grad([gw.Sum()], [w])[0]!.Item<double>());
    }
}
