using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>View, reshape, expand, cat, squeeze/unsqueeze and broadcasting: PyTorch's shape rules and error texts.</summary>
public class ShapeErrorParityTests
{
    static string Error(Func<object> action) => Assert.ThrowsAny<Exception>(action).Message;

    [Fact]
    public void ViewOfIncompatibleStridesSaysUseReshape()
    {
        var t = Torch.Arange(6).View(2, 3).T();
        Assert.Equal("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
            Error(() => t.View(6)));
        var r = t.Reshape(6);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, r.ToArray<long>());
        // a view that keeps the non-contiguous dimension separate is allowed
        Assert.Equal(new long[] { 3, 2, 1 }, t.View(3, 2, 1).Shape);
    }

    [Fact]
    public void ReshapeInfersOneDimension()
    {
        var x = Torch.Arange(12);
        Assert.Equal(new long[] { 3, 4 }, x.Reshape(-1, 4).Shape);
        Assert.Equal(new long[] { 2, 3, 2 }, x.View(2, -1, 2).Shape);
        Assert.Equal(new long[] { 0, 5 }, Torch.Zeros(0, 3).Reshape(-1, 5).Shape);
        Assert.Equal(new long[] { 0 }, Torch.Zeros(2, 0).Reshape(-1).Shape);
        Assert.Equal(new long[] { 1 }, Torch.Full([], 2.0).Reshape(-1).Shape);
        Assert.Equal(new long[] { }, Torch.Ones(1, 1).Reshape().Shape);
    }

    [Fact]
    public void ReshapeErrors()
    {
        var x = Torch.Arange(6);
        Assert.Equal("shape '[4, 2]' is invalid for input of size 6", Error(() => x.View(4, 2)));
        Assert.Equal("shape '[-1, 4]' is invalid for input of size 6", Error(() => x.Reshape(-1, 4)));
        Assert.Equal("shape '[-1, 0]' is invalid for input of size 6", Error(() => x.Reshape(-1, 0)));
        Assert.Equal("only one dimension can be inferred", Error(() => x.Reshape(-1, -1)));
        Assert.Equal("invalid shape dimension -2", Error(() => x.Reshape(-2, 3)));
        Assert.Equal("cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any value and is ambiguous",
            Error(() => Torch.Zeros(0).Reshape(-1, 0)));
    }

    [Fact]
    public void ExpandRulesAndErrors()
    {
        var x = Torch.NewTensor(new[] { 1f, 2f, 3f });
        var e = x.Expand(2, 3);
        Assert.Equal(new long[] { 2, 3 }, e.Shape);
        Assert.Equal(new long[] { 0, 1 }, e.Stride());
        Assert.Equal(new long[] { 4, 3 }, x.Expand(4, -1).Shape);
        Assert.Equal("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]",
            Error(() => x.Expand(2, 4)));
        Assert.Equal("expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
            Error(() => Torch.Ones(2, 3).Expand(3)));
        Assert.Equal("expand(torch.LongTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
            Error(() => Torch.Ones([2, 3], DType.Int64).Expand(3)));
        Assert.Equal("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0",
            Error(() => x.Expand(-1, 3)));
    }

    [Fact]
    public void BroadcastingError()
    {
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
            Error(() => Torch.Ones(2, 3) + Torch.Ones(4)));
        Assert.Equal(new long[] { 2, 4, 3 }, (Torch.Ones(2, 1, 3) * Torch.Ones(4, 1)).Shape);
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]",
            Error(() => Torch.Ones(3).Add_(Torch.Ones(2, 3))));
    }

    [Fact]
    public void CatErrors()
    {
        Assert.Equal("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.",
            Error(() => Torch.Cat([Torch.Ones(2, 3), Torch.Ones(3, 4)], 1)));
        Assert.Equal("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 2 in the list.",
            Error(() => Torch.Cat([Torch.Ones(2, 3), Torch.Ones(1, 3), Torch.Ones(2, 4)])));
        Assert.Equal("Tensors must have same number of dimensions: got 2 and 1",
            Error(() => Torch.Cat([Torch.Ones(2, 3), Torch.Ones(3)])));
        Assert.Equal("zero-dimensional tensor (at position 1) cannot be concatenated",
            Error(() => Torch.Cat([Torch.Ones(1), Torch.Full([], 1.0)])));
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got 2)",
            Error(() => Torch.Cat([Torch.Ones(2, 3), Torch.Ones(2, 3)], 2)));
        var joined = Torch.Cat([Torch.Ones([2], DType.Int32), Torch.Ones([1], DType.Float64)]);
        Assert.Equal(DType.Float64, joined.DType);
        Assert.Equal(new long[] { 2, 5 }, Torch.Cat([Torch.Ones(2, 3), Torch.Ones(2, 2)], -1).Shape);
    }

    [Fact]
    public void SqueezeAndUnsqueezeDimRanges()
    {
        var x = Torch.Ones(2, 1, 3);
        Assert.Equal(new long[] { 2, 3 }, x.Squeeze(1).Shape);
        Assert.Equal(new long[] { 2, 3 }, x.Squeeze(-2).Shape);
        Assert.Equal(new long[] { 2, 1, 3 }, x.Squeeze(0).Shape);
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got 3)", Error(() => x.Squeeze(3)));
        Assert.Equal(new long[] { 2, 1, 3, 1 }, x.Unsqueeze(3).Shape);
        Assert.Equal(new long[] { 2, 1, 3, 1 }, x.Unsqueeze(-1).Shape);
        Assert.Equal(new long[] { 1, 2, 1, 3 }, x.Unsqueeze(-4).Shape);
        Assert.Equal("Dimension out of range (expected to be in range of [-4, 3], but got 4)", Error(() => x.Unsqueeze(4)));
        Assert.Equal("Dimension out of range (expected to be in range of [-4, 3], but got -5)", Error(() => x.Unsqueeze(-5)));
        var s = Torch.Full([], 1.0);
        Assert.Equal(new long[] { }, s.Squeeze(0).Shape);
        Assert.Equal(new long[] { }, s.Squeeze(-1).Shape);
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Error(() => s.Squeeze(1)));
        Assert.Equal(new long[] { 1 }, s.Unsqueeze(0).Shape);
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Error(() => s.Unsqueeze(1)));
    }

    [Fact]
    public void TransposeAndSelectErrors()
    {
        var x = Torch.Ones(2, 3);
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got 2)", Error(() => x.Transpose(0, 2)));
        Assert.Equal("index 3 is out of bounds for dimension 1 with size 3", Error(() => x.Select(1, 3)));
        Assert.Equal("index -4 is out of bounds for dimension 1 with size 3", Error(() => x.Select(-1, -4)));
    }

    [Fact]
    public void NarrowRangesAndErrors()
    {
        var x = Torch.Arange(5);
        Assert.Equal(new long[] { 3, 4 }, x.Narrow(0, -2, 2).ToArray<long>());
        Assert.Equal(new long[] { 0 }, x.Narrow(0, 5, 0).Shape);
        Assert.Equal("start out of range (expected to be in range of [-5, 5], but got 6)", Error(() => x.Narrow(0, 6, 0)));
        Assert.Equal("start out of range (expected to be in range of [-5, 5], but got -6)", Error(() => x.Narrow(0, -6, 1)));
        Assert.Equal("start (3) + length (3) exceeds dimension size (5).", Error(() => x.Narrow(0, -2, 3)));
        Assert.Equal("narrow(): length must be non-negative.", Error(() => x.Narrow(0, 1, -1)));
        Assert.Equal("narrow() cannot be applied to a 0-dim tensor.", Error(() => Torch.Full([], 1.0).Narrow(0, 0, 1)));
    }
}
