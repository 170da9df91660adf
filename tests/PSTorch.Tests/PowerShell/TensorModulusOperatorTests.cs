using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>PowerShell's % on tensors calls op_Modulus, which is torch.remainder (PyTorch's %): the divisor's sign.</summary>
public class TensorModulusOperatorTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    Tensor One(string script) => Assert.IsType<Tensor>(Assert.Single(ps.Invoke(script)).BaseObject);

    [Fact]
    public void PercentOnAnIntegerTensorIsPythonsRemainder()
    {
        var t = One("$i = New-Tensor @(-7,7,-8); $i % 3");
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal([2L, 1, 1], t.ToArray<long>());
        Assert.Equal([-1L, -2, -2], One("$i = New-Tensor @(-7,7,-8); $i % -3").ToArray<long>());
    }

    [Fact]
    public void PercentBetweenTensorsBroadcastsAndPromotes()
    {
        var t = One("$a = New-Tensor @(-7.5,7.5); $b = New-Tensor @(2,-2); $a % $b");
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0.5, -0.5], t.To(DType.Float64).ToArray<double>());
    }
}
