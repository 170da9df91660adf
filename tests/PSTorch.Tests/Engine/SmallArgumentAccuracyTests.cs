using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>
/// Relative accuracy where the vector math library loses it: tanh and sinh near 0 (float tanh(1e-30) once gave -6e-8)
/// and exp2 of large arguments, in both the vectorised body and the scalar tail of a row.
/// </summary>
public class SmallArgumentAccuracyTests
{
    static readonly double[] Arguments = [1e-30, -1e-20, 1e-10, -1e-7, 1e-5, -1e-3, 0.01, -0.05, 0.099, 0.2, -0.29, 0.31, 0.45, -0.55, 1.5, -3];

    /// <summary>37 elements: the arguments, repeated, so some land in full vectors and some in the tail.</summary>
    static double[] Inputs() => Enumerable.Range(0, 37).Select(i => Arguments[i % Arguments.Length]).ToArray();

    static void AssertRelative(Func<double, double> reference, Func<Tensor, Tensor> op, DType dtype, double tolerance)
    {
        var x = Inputs();
        var input = Torch.FromArray(x).To(dtype);
        var got = op(input).To(DType.Float64).ToArray<double>();
        var exact = input.To(DType.Float64).ToArray<double>(); // the float32-rounded arguments
        for (int i = 0; i < x.Length; i++)
        {
            double want = reference(exact[i]);
            Assert.True(Math.Abs(got[i] - want) <= tolerance * Math.Abs(want), $"{dtype} at {exact[i]:G9}: got {got[i]:G17}, want {want:G17}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, 2.4e-7)]
    [InlineData(DType.Float64, 4.5e-16)]
    public void Tanh_KeepsItsRelativePrecisionNearZero(DType dtype, double tolerance) =>
        AssertRelative(Math.Tanh, t => t.Tanh(), dtype, tolerance);

    [Theory]
    [InlineData(DType.Float32, 2.4e-7)]
    [InlineData(DType.Float64, 4.5e-16)]
    public void Sinh_KeepsItsRelativePrecisionNearZero(DType dtype, double tolerance) =>
        AssertRelative(Math.Sinh, t => t.Sinh(), dtype, tolerance);

    [Theory]
    [InlineData(DType.Float32, 1.2e-7)]
    [InlineData(DType.Float64, 2.3e-16)]
    public void Exp2_IsExactToTheLastBitsForLargeArguments(DType dtype, double tolerance)
    {
        var x = Enumerable.Range(0, 37).Select(i => (dtype == DType.Float32 ? 100.0 : 1000.0) + i * 0.37).ToArray();
        var got = Torch.FromArray(x).To(dtype).Exp2().To(DType.Float64).ToArray<double>();
        var exact = Torch.FromArray(x).To(dtype).To(DType.Float64).ToArray<double>();
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(got[i] - Math.Pow(2, exact[i])) <= tolerance * Math.Pow(2, exact[i]), $"2^{exact[i]:G9}: got {got[i]:G17}");
    }

    [Theory]
    [InlineData(DType.Float32, 2.4e-7)]
    [InlineData(DType.Float64, 4.5e-16)]
    public void InPlaceTanhAndSinh_ReadTheArgumentsBeforeOverwritingThem(DType dtype, double tolerance)
    {
        AssertRelative(Math.Tanh, t => t.Clone().Tanh_(), dtype, tolerance);
        AssertRelative(Math.Sinh, t => t.Clone().Sinh_(), dtype, tolerance);
    }
}
