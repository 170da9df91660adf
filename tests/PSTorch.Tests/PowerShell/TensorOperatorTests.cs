using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>PowerShell's operators on tensors: which overload its binder picks decides the result dtype.</summary>
public class TensorOperatorTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    Tensor One(string script) => Assert.IsType<Tensor>(Assert.Single(ps.Invoke(script)).BaseObject);

    [Theory]
    [InlineData("$a + $b", new[] { 5.0, 7, 9 })]
    [InlineData("$a - $b", new[] { -3.0, -3, -3 })]
    [InlineData("$a * $b", new[] { 4.0, 10, 18 })]
    [InlineData("$b / $a", new[] { 4.0, 2.5, 2 })]
    [InlineData("-$a", new[] { -1.0, -2, -3 })]
    [InlineData("$a * 3", new[] { 3.0, 6, 9 })]
    [InlineData("3 * $a", new[] { 3.0, 6, 9 })]
    [InlineData("10 - $a", new[] { 9.0, 8, 7 })]
    [InlineData("$a / 2", new[] { 0.5, 1, 1.5 })]
    [InlineData("$a * 3 + 2", new[] { 5.0, 8, 11 })]
    public void Operators_ComputeElementwise(string expression, double[] expected)
    {
        var t = One($"$a = New-Tensor 1.0,2.0,3.0; $b = New-Tensor 4.0,5.0,6.0; {expression}");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(expected, t.To(DType.Float64).ToArray<double>());
    }

    [Theory]
    [InlineData("$i * 3")]
    [InlineData("3 * $i")]
    [InlineData("$i + 1")]
    [InlineData("1 - $i")]
    [InlineData("-$i")]
    public void IntLiterals_KeepIntegerTensorsIntegral(string expression) =>
        Assert.Equal(DType.Int64, One($"$i = New-Tensor 1,2,3; {expression}").DType);

    [Theory]
    [InlineData("$i * 2.5")]
    [InlineData("2.5 * $i")]
    public void FloatLiterals_PromoteIntegerTensorsToTheDefaultFloat(string expression)
    {
        var t = One($"$i = New-Tensor 1,2,3; {expression}");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([2.5f, 5f, 7.5f], t.ToArray<float>());
    }

    [Fact]
    public void IntegerDivision_IsTrueDivisionAsInPyTorch() =>
        Assert.Equal([0.5f, 1f, 1.5f], One("(New-Tensor 1,2,3) / 2").ToArray<float>());

    [Fact]
    public void Broadcasting_RowPlusColumn()
    {
        var t = One("(New-Tensor -Ones -Shape 1,3) + (New-Tensor -Arange -End 2 -DType float32).View(2,1)");
        Assert.Equal([2L, 3], t.Shape);
        Assert.Equal([1f, 1, 1, 2, 2, 2], t.ToArray<float>());
    }

    [Fact]
    public void Comparisons_AreMethodsReturningBoolTensors()
    {
        var t = One("(New-Tensor 1,2,3).Gt(1)");
        Assert.Equal(DType.Bool, t.DType);
        Assert.Equal([false, true, true], t.ToArray<bool>());
        Assert.Equal([false, true, false], One("(New-Tensor 1,2,3).Eq(2)").ToArray<bool>());
    }

    [Fact]
    public void PipelineDoesNotEnumerateATensor()
    {
        var output = ps.Invoke("$t = New-Tensor 1,2,3,4; $t | ForEach-Object { $_ }");
        Assert.Same(ps.Invoke("$t")[0].BaseObject, Assert.Single(output).BaseObject);
    }
}
