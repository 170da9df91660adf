using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Gradients of every view op, on contiguous and non-contiguous inputs, and storage sharing.</summary>
public class ViewGradCheckTests
{
    static Tensor Input(params long[] shape)
    {
        int n = (int)shape.Aggregate(1L, (a, b) => a * b);
        return Torch.FromArray(Enumerable.Range(0, n).Select(i => Math.Sin(i + 1)).ToArray(), shape, requiresGrad: true);
    }

    /// <summary>A [3, 4] non-contiguous input (the transpose of a [4, 3] leaf).</summary>
    static Func<Tensor[], Tensor> OnTransposed(Func<Tensor, Tensor> f) => x => f(x[0].T());

    public static TheoryData<string, Func<Tensor, Tensor>> ViewOps => new()
    {
        { "View", t => t.View(2, 6) },
        { "Reshape", t => t.Reshape(6, -1) },
        { "Transpose", t => t.Transpose(0, 1) },
        { "T", t => t.T() },
        { "Permute", t => t.Unsqueeze(0).Permute(2, 0, 1) },
        { "Expand", t => t.Unsqueeze(1).Expand(-1, 2, -1) },
        { "Narrow", t => t.Narrow(1, 1, 2) },
        { "Select", t => t.Select(1, -1) },
        { "Squeeze", t => t.Unsqueeze(0).Unsqueeze(2).Squeeze() },
        { "SqueezeDim", t => t.Unsqueeze(1).Squeeze(1) },
        { "Unsqueeze", t => t.Unsqueeze(-1) },
        { "Flatten", t => t.Flatten() },
        { "Unflatten", t => t.Unflatten(1, 2, 2) },
        { "Split", t => t.Split(3, 1)[1] },
        { "SplitSizes", t => t.Split([1L, 2L], 0)[1] },
        { "Chunk", t => t.Chunk(2, 1)[0] },
        { "Unbind", t => t.Unbind(0)[2] },
    };

    [Theory]
    [MemberData(nameof(ViewOps))]
    public void GradCheckContiguous(string name, Func<Tensor, Tensor> op)
    {
        Assert.True(Torch.GradCheck(x => op(x[0]) * 2, [Input(3, 4)]), name);
    }

    [Theory]
    [MemberData(nameof(ViewOps))]
    public void GradCheckNonContiguous(string name, Func<Tensor, Tensor> op)
    {
        if (name == "View") return;  // a transposed tensor cannot be viewed as [2, 6]: covered by the error test
        Assert.True(Torch.GradCheck(OnTransposed(t => op(t).Sin()), [Input(4, 3)]), name);
    }

    [Fact]
    public void ViewOfTransposedRaises()
    {
        Assert.Throws<InvalidOperationException>(() => Input(4, 3).T().View(2, 6));
    }

    [Fact]
    public void GradFnNamesOfViews()
    {
        var x = Input(3, 4);
        Assert.Equal("ViewBackward0", x.View(12).GradFn!.Name);
        Assert.Equal("TransposeBackward0", x.Transpose(0, 1).GradFn!.Name);
        Assert.Equal("TBackward0", x.T().GradFn!.Name);
        Assert.Equal("PermuteBackward0", x.Permute(1, 0).GradFn!.Name);
        Assert.Equal("ExpandBackward0", x.Unsqueeze(0).Expand(2, 3, 4).GradFn!.Name);
        Assert.Equal("SliceBackward0", x.Narrow(0, 1, 1).GradFn!.Name);
        Assert.Equal("SelectBackward0", x.Select(0, 1).GradFn!.Name);
        Assert.Equal("UnsqueezeBackward0", x.Unsqueeze(0).GradFn!.Name);
        Assert.Equal("UnsafeViewBackward0", x.T().Reshape(-1).GradFn!.Name);
    }

    [Fact]
    public void ViewsShareStorageBothWays()
    {
        var t = Torch.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), [3, 4]);
        var views = new[] { t.View(4, 3), t.T(), t.Permute(1, 0), t.Narrow(0, 1, 2), t.Select(1, 2), t.Unsqueeze(0), t.Flatten(), t.Chunk(2, 1)[1], t.Unflatten(1, 2, 2) };
        foreach (var v in views) Assert.True(v.SharesStorageWith(t));
        t.T()[2, 1] = -5;  // element (1, 2)
        Assert.Equal(-5f, t.View(4, 3)[2, 0].Item<float>());
        Assert.Equal(new float[] { 2, -5, 10 }, t.Select(1, 2).ToArray<float>());
        t.Narrow(0, 1, 2).Select(1, 2).Fill_(7);
        Assert.Equal(new float[] { 2, 7, 7 }, t.Select(1, 2).ToArray<float>());
        Assert.Equal(7f, t.Flatten()[10].Item<float>());
    }
}
