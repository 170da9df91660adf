using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Value assertions for tensors, elementwise with a tolerance.</summary>
internal static class TensorAssert
{
    public static void Close(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        var values = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            bool same = expected[i] == values[i] || (double.IsNaN(expected[i]) ? double.IsNaN(values[i]) : Math.Abs(expected[i] - values[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])));
            Assert.True(same, $"element {i}: expected {expected[i]:R}, got {values[i]:R}");
        }
    }

    public static Tensor Doubles(double[] values, params long[] shape) =>
        Torch.FromArray(values, shape.Length == 0 ? [values.Length] : shape);

    public static Tensor Leaf(double[] values, params long[] shape) =>
        Torch.FromArray(values, shape.Length == 0 ? [values.Length] : shape, requiresGrad: true);

    public static Tensor Longs(long[] values, params long[] shape) =>
        Torch.FromArray(values, shape.Length == 0 ? [values.Length] : shape);
}
