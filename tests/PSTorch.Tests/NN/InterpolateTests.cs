using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class InterpolateTests
{
    static readonly Tensor Line = TensorAssert.Doubles([1, 2, 3], 1, 1, 3);
    static readonly Tensor Square = TensorAssert.Doubles([1, 2, 3, 4], 1, 1, 2, 2);

    [Fact]
    public void NearestCopiesThePixelAtTheScaledPosition()
    {
        TensorAssert.Close([1, 1, 2, 2, 3], Functional.Interpolate(Line, size: [5]), 0);
        TensorAssert.Close([1, 1, 2, 2, 3, 3], Functional.Interpolate(Line, scaleFactor: [2]), 0);
        TensorAssert.Close([1, 2], Functional.Interpolate(Line, size: [2]), 0);
        TensorAssert.Close([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], new Upsample(2.0).Call(Square), 0);
        Assert.Equal([1L, 1, 3, 5], Functional.Interpolate(Square, size: [3, 5]).Shape);
    }

    [Fact]
    public void LinearAndBilinearMatchPyTorchsOutputs()
    {
        // torch.nn.functional.interpolate(torch.tensor([[[1., 2., 3.]]]), scale_factor=2, mode='linear')
        TensorAssert.Close([1, 1.25, 1.75, 2.25, 2.75, 3], Functional.Interpolate(Line, scaleFactor: [2], mode: "linear"), 1e-15);
        TensorAssert.Close([1, 1.5, 2, 2.5, 3], Functional.Interpolate(Line, size: [5], mode: "linear", alignCorners: true), 1e-15);
        TensorAssert.Close([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
            new Upsample(2.0, "bilinear").Call(Square), 1e-15);
        TensorAssert.Close([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], Functional.Interpolate(Square, size: [3, 3], mode: "bilinear", alignCorners: true), 1e-15);
        // downsampling by half without align_corners takes the centre of each 2x2 block
        var big = Torch.Arange(16, dtype: DType.Float64).Reshape(1, 1, 4, 4);
        TensorAssert.Close([2.5, 4.5, 10.5, 12.5], Functional.Interpolate(big, size: [2, 2], mode: "bilinear"), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.Interpolate(t[0], size: [3, 5], mode: "bilinear"), [TensorAssert.Leaf([0.1, -2, 0.5, 1.5, 3, -1], 1, 1, 2, 3)]));
        Assert.True(Torch.GradCheck(t => Functional.Interpolate(t[0], scaleFactor: [1.5], mode: "linear", alignCorners: true), [TensorAssert.Leaf([0.1, -2, 0.5, 1.5, 3, -1], 1, 2, 3)]));
        Assert.True(Torch.GradCheck(t => Functional.Interpolate(t[0], size: [4]), [TensorAssert.Leaf([0.1, -2, 0.5], 1, 1, 3)]));
    }

    [Fact]
    public void ErrorsAndReprs()
    {
        Assert.Equal("only one of size or scale_factor should be defined", Assert.Throws<ArgumentException>(() => Functional.Interpolate(Line, [2], [2])).Message);
        Assert.Equal("either size or scale_factor should be defined", Assert.Throws<ArgumentException>(() => Functional.Interpolate(Line)).Message);
        Assert.Equal("Got 3D input, but bilinear mode needs 4D input", Assert.Throws<ArgumentException>(() => Functional.Interpolate(Line, [4], mode: "bilinear")).Message);
        Assert.Equal("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear",
            Assert.Throws<ArgumentException>(() => Functional.Interpolate(Line, [4], alignCorners: true)).Message);
        Assert.Equal("Upsample(scale_factor=2.0, mode='nearest')", new Upsample(2.0).ToString());
        Assert.Equal("Upsample(size=(4, 6), mode='bilinear')", new Upsample([4, 6], mode: "bilinear").ToString());
    }
}
