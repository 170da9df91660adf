namespace PSTorch.Tests.Cuda;

/// <summary>
/// sort (the shared-memory path and the global-memory network for long rows), topk, kthvalue, median, mode, unique
/// and searchsorted on a CUDA device against the CPU on tied, NaN-holding and strided inputs. Both backends sort
/// under one total order (ties by index), so values and indices must be equal. Skipped where no device is present.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaSortingTests
{
    static Tensor OnDevice(Tensor cpu) => CudaTensorTests.OnDevice(cpu);

    static void Equal(Tensor expected, Tensor actual)
    {
        Assert.Equal(DeviceType.Cuda, actual.Device.Type);
        CudaTensorTests.Close(expected, actual, 0);
    }

    static void Equal(ValuesAndIndices expected, ValuesAndIndices actual)
    {
        Equal(expected.Values, actual.Values);
        Equal(expected.Indices, actual.Indices);
    }

    /// <summary>Integers in [-4, 4] (many ties) with NaNs in the floating dtypes.</summary>
    static Tensor Tied(long[] shape, DType dtype, int seed)
    {
        var x = Torch.Randint(-4, 5, shape, DType.Int64, generator: new Generator(seed)).To(DType.Float64);
        if (dtype.IsFloatingPoint())
            x = Torch.Where(Torch.Rand(shape, DType.Float64, generator: new Generator(seed + 100)).Lt(0.1), double.NaN, x);
        return x.To(dtype);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Int8)]
    [InlineData(DType.Bool)]
    public void SortMatchesCpuOnEveryDimAndLayout(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var x = Tied([6, 33, 17], dtype, 1);
        var transposed = Tied([17, 33, 6], dtype, 2).Transpose(0, 2);
        foreach (var t in new[] { x, transposed })
            for (int dim = -3; dim < 3; dim++)
                foreach (var descending in new[] { false, true })
                    Equal(t.Sort(dim, descending), OnDevice(t).Sort(dim, descending));
    }

    [Theory]
    [InlineData(DType.Float32, 5000)]
    [InlineData(DType.Float64, 5000)]
    [InlineData(DType.Float32, 100_003)]
    [InlineData(DType.Int64, 70_000)]
    public void LongRowsTakeTheGlobalMemoryNetwork(DType dtype, long n)
    {
        DeviceBuffer.RequireDevice();
        var x = Tied([3, n], dtype, 3);
        Equal(x.Sort(1), OnDevice(x).Sort(1));
        Equal(x.Sort(1, descending: true), OnDevice(x).Sort(1, descending: true));
    }

    [Fact]
    public void SelectionsMatchCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Tied([9, 40], DType.Float32, 4);
        var d = OnDevice(x);
        Equal(x.Topk(5), d.Topk(5));
        Equal(x.Topk(3, 0, largest: false), d.Topk(3, 0, largest: false));
        Equal(x.Kthvalue(7, 1, keepDim: true), d.Kthvalue(7, 1, keepDim: true));
        Equal(x.Median(1), d.Median(1));
        Equal(x.Nanmedian(0), d.Nanmedian(0));
        Equal(x.Median(), d.Median());
        Equal(x.Nanmedian(), d.Nanmedian());
        Equal(x.Mode(1), d.Mode(1));
    }

    [Fact]
    public void UniqueAndSearchsortedMatchCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Tied([7, 30], DType.Float64, 5);
        var d = OnDevice(x);
        var (expected, actual) = (x.Unique(returnInverse: true, returnCounts: true), d.Unique(returnInverse: true, returnCounts: true));
        Equal(expected.Values, actual.Values);
        Equal(expected.Inverse!, actual.Inverse!);
        Equal(expected.Counts!, actual.Counts!);
        var rows = Tied([12, 3], DType.Int64, 6);
        Equal(rows.Unique(dim: 0).Values, OnDevice(rows).Unique(dim: 0).Values);
        Equal(x.UniqueConsecutive(returnCounts: true).Counts!, d.UniqueConsecutive(returnCounts: true).Counts!);

        var boundaries = x.Sort(1).Values;
        var values = Tied([7, 11], DType.Float64, 7);
        foreach (var right in new[] { false, true })
        {
            Equal(Torch.Searchsorted(boundaries, values, right: right), Torch.Searchsorted(OnDevice(boundaries), OnDevice(values), right: right));
            Equal(Torch.Searchsorted(boundaries[0], values, outInt32: true, right: right),
                Torch.Searchsorted(OnDevice(boundaries)[0], OnDevice(values), outInt32: true, right: right));
        }
    }

    [Fact]
    public void SortGradientStaysOnTheDevice()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([4, 6], DType.Float64, generator: new Generator(8));
        var d = OnDevice(x).RequiresGrad_();
        var w = Torch.Arange(24.0, dtype: DType.Float64).Reshape(4, 6);
        d.Sort(1).Values.Mul(OnDevice(w)).Sum().Backward();
        var c = x.Clone().RequiresGrad_();
        c.Sort(1).Values.Mul(w).Sum().Backward();
        Equal(c.Grad!, d.Grad!);
    }
}
