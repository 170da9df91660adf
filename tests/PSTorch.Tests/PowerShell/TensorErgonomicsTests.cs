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
    public void SquareBrackets_TakeOneSubscript_AndACommaListSlicesInsteadOfIndexingSeveralDims()
    {
        // PowerShell turns $t['1:3', ':'] into two separate lookups, $t['1:3'] and $t[':'] (array slicing),
        // so several subscripts go through .Index(...) (or the indexer's accessor, get_At).
        Assert.Equal([4L, 5, 6, 7], One("[PSTorch.Torch]::Arange(12).View(3, 4)[1]").ToArray<long>());
        var sliced = Run("[PSTorch.Torch]::Arange(12).View(3, 4)['1:3', ':']").Cast<Tensor>().ToArray();
        Assert.Equal([[2L, 4], [3L, 4]], sliced.Select(s => s.Shape));
        Assert.Equal([2L, 4], One("[PSTorch.Torch]::Arange(12).View(3, 4).get_At('1:3', ':')").Shape);
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
