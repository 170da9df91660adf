using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>The math methods from PowerShell: overloads with optional arguments and integer literals bind as in Python.</summary>
public class MathFunctionBindingTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    [Fact]
    public void RoundBindsWithAndWithoutDecimals()
    {
        var output = ps.Invoke("$t = New-Tensor @(1.25, 2.5, -0.75) -DType float64; $t.Round().ToArray(); $t.Round(1).ToArray(); [PSTorch.Torch]::Round($t, -1).ToArray()");
        Assert.Equal([1.0, 2, -1, 1.2, 2.5, -0.8, 0, 0, -0.0], output.Select(o => (double)o.BaseObject));
    }

    [Fact]
    public void OptionalArgumentsMayBeLeftOut()
    {
        var output = ps.Invoke(
            "$p = New-Tensor 0.25, 0.5 -DType float64; $p.Logit().ToArray(); $p.Logit(0.3).ToArray(); " +
            "$n = New-Tensor ([double]::NaN), 1 -DType float64; $n.NanToNum().ToArray(); $n.NanToNum(5).ToArray(); " +
            "$p.Addcmul($p, $p).ToArray(); $p.Addcdiv($p, $p, 2).ToArray(); $p.Lerp((New-Tensor 1, 1 -DType float64), 0.5).ToArray()");
        Assert.Equal(
            [Math.Log(1 / 3.0), 0, Math.Log(0.3 / 0.7), 0, 0, 1, 5, 1, 0.3125, 0.75, 2.25, 2.5, 0.625, 0.75],
            output.Select(o => (double)o.BaseObject), new ToleranceComparer());
    }

    [Fact]
    public void IntegerTensorsKeepTheirDTypeWhereRoundingAndPromoteElsewhere()
    {
        var output = ps.Invoke("$i = New-Tensor 1, 2; $i.Floor().DType; $i.Log1p().DType; $i.Atan2($i).DType; $i.IsNan().DType; $i.FloatPower(2).DType");
        Assert.Equal([DType.Int64, DType.Float32, DType.Float32, DType.Bool, DType.Float64], output.Select(o => o.BaseObject));
    }

    sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12;
        public int GetHashCode(double obj) => 0;
    }
}
