using Xunit;

namespace PSTorch.Tests.PowerShell;

/// <summary>The Tensor API as a PowerShell user reaches it: static factories, members, indexing, autograd, display.</summary>
public class TensorErgonomicsTests(ModuleRunspace ps) : IClassFixture<ModuleRunspace>
{
    object[] Run(string script) => ps.Invoke(script).Select(o => o.BaseObject).ToArray();

    Tensor One(string script) => Assert.IsType<Tensor>(Assert.Single(Run(script)));

    [Fact]
    public void StaticFactories_TakeShapesAsPlainArguments()
    {
        var zeros = One("[PSTorch.Torch]::Zeros(3, 4)");
        Assert.Equal([3L, 4], zeros.Shape);
        Assert.Equal(DType.Float32, zeros.DType);
        Assert.Equal([1f, 1, 1, 1], One("[PSTorch.Torch]::Ones(2, 2)").ToArray<float>());
        var arange = One("[PSTorch.Torch]::Arange(12)");
        Assert.Equal(DType.Int64, arange.DType);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), arange.ToArray<long>());
        Assert.Equal([2L, 3], One("[PSTorch.Torch]::Randn(2, 3)").Shape);
    }

    [Fact]
    public void ManualSeed_RepeatsRandomTensors()
    {
        var r = Run("$null = [PSTorch.Torch]::ManualSeed(1); $a = [PSTorch.Torch]::Randn(2, 3); $null = [PSTorch.Torch]::ManualSeed(1); $b = [PSTorch.Torch]::Randn(2, 3); ,$a.ToArray(); ,$b.ToArray()");
        Assert.Equal((float[])r[0], (float[])r[1]);
    }

    [Fact]
    public void ShapeIsAnArrayOfLengths() =>
        Assert.Equal(["3 4", "[3, 4]", 2], Run("$t = [PSTorch.Torch]::Zeros(3, 4); \"$($t.Shape)\"; $t.ShapeText; $t.Shape.Count"));

    [Fact]
    public void Item_ReturnsANumberOfTheMatchingKind()
    {
        var r = Run("(New-Tensor 1.5, 2.0).Sum().Item(); [PSTorch.Torch]::Arange(12).Sum().Item()");
        Assert.Equal(3.5, Assert.IsType<double>(r[0]));
        Assert.Equal(66L, Assert.IsType<long>(r[1]));
    }

    [Fact]
    public void ToArray_ReturnsATypedFlatArray() =>
        Assert.Equal([0L, 1, 2, 3, 4, 5], Assert.IsType<long[]>(Assert.Single(Run(",[PSTorch.Torch]::Arange(6).View(2, 3).ToArray()"))));

    [Fact]
    public void Index_TakesSeveralSubscripts()
    {
        var t = One("[PSTorch.Torch]::Arange(12).View(3, 4).Index('1:3', ':')");
        Assert.Equal([2L, 4], t.Shape);
        Assert.Equal([4L, 5, 6, 7, 8, 9, 10, 11], t.Contiguous().ToArray<long>());
        Assert.Equal([8L, 9, 10, 11], One("[PSTorch.Torch]::Arange(12).View(3, 4).Index(-1)").ToArray<long>());
    }

    [Fact]
    public void SquareBrackets_IndexSeveralDims_LikePython()
    {
        Assert.Equal([4L, 5, 6, 7], One("[PSTorch.Torch]::Arange(12).View(3, 4)[1]").ToArray<long>());
        var rows = One("[PSTorch.Torch]::Arange(12).View(3, 4)['1:3', ':']");
        Assert.Equal([2L, 4], rows.Shape);
        Assert.Equal([4L, 5, 6, 7, 8, 9, 10, 11], rows.Contiguous().ToArray<long>());
        Assert.Equal(6L, One("[PSTorch.Torch]::Arange(12).View(3, 4)[1, 2]").Item<long>());
        Assert.Equal([8L, 10], One("[PSTorch.Torch]::Arange(12).View(3, 4)[-1, '::2']").ToArray<long>());
        Assert.Equal([5L], One("[PSTorch.Torch]::Arange(24).View(2, 3, 4)[0, 1, '1:2']").ToArray<long>());
        Assert.Equal(23L, One("[PSTorch.Torch]::Arange(24).View(2, 3, 1, 4)[1, 2, 0, 3]").Item<long>());
    }

    [Fact]
    public void SquareBrackets_Assign_WithPowerShellNumbersAndTensors()
    {
        var t = One(@"
            $t = [PSTorch.Torch]::Arange(12).View(3, 4)
            $t[0] = 100
            $t[1, '2:'] = -1
            $t[2, 0] = 2.0
            $t[-1, -1] = [PSTorch.Torch]::NewTensor(7)
            $t");
        Assert.Equal([100L, 100, 100, 100, 4, 5, -1, -1, 2, 9, 10, 7], t.ToArray<long>());
    }

    [Fact]
    public void Autograd_FromMembers()
    {
        var r = Run(@"
            $x = [PSTorch.Torch]::Ones(2, 2)
            $same = [object]::ReferenceEquals($x, $x.RequiresGrad_())
            $out = ($x * $x).Mean()
            $out.GradFn.Name; $same; $x.RequiresGrad
            $out.Backward()
            ,$x.Grad.ToArray()");
        Assert.Equal("MeanBackward0", r[0]);
        Assert.Equal(true, r[1]);
        Assert.Equal(true, r[2]);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], (float[])r[3]);
    }

    [Fact]
    public void Device_DisplaysAsItsName()
    {
        // Rendering needs a host's formatter: the runspace here has none, so pstorch renders it.
        var run = Host.PstorchProcess.Run("-c", "(New-Tensor 1).Device");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("cpu", run.Stdout.Trim());
    }
}
