using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

/// <summary>Views and conversions an op makes for its kernel must not keep memory claimed after the op: Dispose returns blocks at once.</summary>
public class TemporaryReleaseTests
{
    [Fact]
    public void MmOutputAndInputsAreReleasedByDispose()
    {
        var a = Torch.Randn(5, 3);
        var b = Torch.Randn(3, 4);
        var y = a.Mm(b);
        y.Dispose();
        Assert.True(y.UntypedStorage.IsReleased);
        a.Dispose();
        b.Dispose();
        Assert.True(a.UntypedStorage.IsReleased);
        Assert.True(b.UntypedStorage.IsReleased);
    }

    [Fact]
    public void BroadcastAndPromotedOperandsAreReleasedByDispose()
    {
        var a = Torch.Randn(4, 3);
        var row = Torch.FromArray(new double[] { 1, 2, 3 });
        using var y = a + row;
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(a.To(DType.Float64).ToArray<double>().Select((v, i) => v + (i % 3 + 1)).ToArray(), y.ToArray<double>());
        row.Dispose();
        a.Dispose();
        Assert.True(row.UntypedStorage.IsReleased);
        Assert.True(a.UntypedStorage.IsReleased);
    }
}
