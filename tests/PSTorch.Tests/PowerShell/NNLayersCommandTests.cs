using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>New-Layer and New-LossFunction build the added layers and losses by their PyTorch constructor arguments.</summary>
public class NNLayersCommandTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    string Repr(string script) => Assert.Single(ps.Invoke(script)).BaseObject.ToString()!;

    [Theory]
    [InlineData("New-Layer GroupNorm 2,4", "GroupNorm(2, 4, eps=1e-05, affine=True)")]
    [InlineData("New-Layer GroupNorm -NumGroups 1 -num_channels 3 -Affine:$false", "GroupNorm(1, 3, eps=1e-05, affine=False)")]
    [InlineData("New-Layer Softplus -Beta 2", "Softplus(beta=2.0, threshold=20.0)")]
    [InlineData("New-Layer Hardtanh -2,2", "Hardtanh(min_val=-2.0, max_val=2.0)")]
    [InlineData("New-Layer PReLU -NumParameters 3", "PReLU(num_parameters=3)")]
    [InlineData("New-Layer ReflectionPad2d 1", "ReflectionPad2d((1, 1, 1, 1))")]
    [InlineData("New-Layer ReflectionPad2d -Padding 1,0,2,3", "ReflectionPad2d((1, 0, 2, 3))")]
    [InlineData("New-Layer ConstantPad1d 2,3.5", "ConstantPad1d(padding=(2, 2), value=3.5)")]
    [InlineData("New-Layer InstanceNorm2d 8", "InstanceNorm2d(8, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)")]
    [InlineData("New-Layer PixelShuffle 2", "PixelShuffle(upscale_factor=2)")]
    [InlineData("New-Layer MaxPool1d 3 -Stride 2", "MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)")]
    [InlineData("New-Layer Threshold 0.1,20", "Threshold(threshold=0.1, value=20.0)")]
    [InlineData("New-Layer Upsample -ScaleFactor 2 -Mode bilinear", "Upsample(scale_factor=2.0, mode='bilinear')")]
    public void NewLayerBuildsTheAddedLayers(string script, string repr) => Assert.Equal(repr, Repr(script));

    [Fact]
    public void ThreeInputLossesAreCalledWithThreeTensors()
    {
        var result = Assert.Single(ps.Invoke("""
            $loss = New-LossFunction TripletMarginLoss -Margin 2
            $a = New-Tensor 0.0, 0.0 -DType float64
            $p = New-Tensor 3.0, 4.0 -DType float64
            $n = New-Tensor 0.0, 1.0 -DType float64
            $loss.Call($a, $p, $n).Item()
            """));
        // max(0, 2 + |(-3, -4) + eps| - |(0, -1) + eps|) with eps = 1e-6
        double eps = 1e-6;
        double expected = 2 + Math.Sqrt(Math.Pow(-3 + eps, 2) + Math.Pow(-4 + eps, 2)) - Math.Sqrt(eps * eps + Math.Pow(-1 + eps, 2));
        Assert.Equal(expected, (double)result.BaseObject, 12);
    }
}
