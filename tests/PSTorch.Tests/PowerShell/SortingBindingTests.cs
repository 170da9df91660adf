using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>Sorting members called from PowerShell: optional arguments bind, and multi-output results expose their parts.</summary>
public class SortingBindingTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    [Fact]
    public void SortBindsWithoutArgumentsAndWithDimAndDescending()
    {
        var r = Run("$t = New-Tensor 3, 1, 2; $r = $t.Sort(); ,$r.Values.ToArray(); ,$r.Indices.ToArray(); ,$t.Sort(0, $true).Values.ToArray()");
        Assert.Equal([1L, 2, 3], Assert.IsType<long[]>(r[0]));
        Assert.Equal([1L, 2, 0], Assert.IsType<long[]>(r[1]));
        Assert.Equal([3L, 2, 1], Assert.IsType<long[]>(r[2]));
    }

    [Fact]
    public void MedianOverloadsAndUniqueResultsBind()
    {
        var r = Run("$t = New-Tensor 4, 1, 3, 1; $t.Median().Item(); $t.Median(0).Indices.Item(); ,$t.Topk(2).Values.ToArray(); " +
                    "$u = $t.Unique($true, $true, $true); ,$u.Values.ToArray(); ,$u.Counts.ToArray()");
        Assert.Equal(1L, r[0]);
        Assert.Equal(3L, r[1]); // the lower median 1 is held at 1 and 3: ties by index put 3 second in the sorted order
        Assert.Equal([4L, 3], Assert.IsType<long[]>(r[2]));
        Assert.Equal([1L, 3, 4], Assert.IsType<long[]>(r[3]));
        Assert.Equal([2L, 1, 1], Assert.IsType<long[]>(r[4]));
    }
}
