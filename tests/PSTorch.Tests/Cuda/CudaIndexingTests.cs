using PSTorch.Backends;
using PSTorch.Backends.Cpu;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// gather/scatter/scatter_add, index_select, advanced indexing (index wrapping, masks through nonzero, index_put) and
/// randperm on a CUDA device against the CPU backend on the same inputs, including transposed, sliced and expanded
/// operands. Results must be equal: gathers copy bits, scatter_add sums small integers (exact in every dtype, in any
/// order) except one float64 case with random values (1e-12, the atomic adds' order differs from the CPU's), and
/// randperm reproduces the CPU's Fisher-Yates exactly. Skipped where no device or library is present.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaIndexingTests
{
    static readonly CpuBackend Cpu = new();

    static Tensor OnDevice(Tensor cpu) => CudaTensorTests.OnDevice(cpu);

    static void Equal(Tensor expected, Tensor actual)
    {
        Assert.Equal(DeviceType.Cuda, actual.Device.Type);
        CudaTensorTests.Close(expected, actual, 0);
    }

    /// <summary>Floating dtypes: normal values; integer dtypes: integers in [-1000, 1000) (wrapping in the narrow ones).</summary>
    static Tensor Values(long[] shape, DType dtype, int seed) => dtype.IsFloatingPoint()
        ? Torch.Randn(shape, generator: new Generator(seed)).To(dtype)
        : Torch.Randint(-1000, 1000, shape, DType.Int64, generator: new Generator(seed)).To(dtype);

    /// <summary>Integers in [-3, 3]: sums of a few stay exact in every dtype, float16 and bfloat16 included.</summary>
    static Tensor SmallIntegers(long[] shape, DType dtype, int seed) =>
        Torch.Randint(-3, 4, shape, DType.Int64, generator: new Generator(seed)).To(dtype);

    static Tensor Indices(long[] shape, long size, int seed) => Torch.Randint(0, size, shape, DType.Int64, generator: new Generator(seed));

    /// <summary>An int64 index of <paramref name="shape"/> whose lines along dim hold distinct values in [0, size): a scatter without collisions.</summary>
    static Tensor UniqueAlongDim(long[] shape, int dim, long size, int seed)
    {
        var lineShape = (long[])shape.Clone();
        lineShape[dim] = 1;
        var alongShape = shape.Select((_, d) => d == dim ? shape[dim] : 1L).ToArray();
        var shifted = Torch.Arange(shape[dim]).View(alongShape) + Indices(lineShape, size, seed);
        return Torch.NewTensor(shifted.ToArray<long>().Select(v => v % size).ToArray()).View(shape);
    }

    /// <summary>[7, 9, 11] tensors laid out contiguously, transposed (strides reversed) and as a slice with step 2.</summary>
    static IEnumerable<Tensor> Layouts(DType dtype, int seed, bool smallIntegers = false)
    {
        Func<long[], DType, int, Tensor> make = smallIntegers ? SmallIntegers : Values;
        yield return make([7, 9, 11], dtype, seed);
        yield return make([11, 9, 7], dtype, seed + 1).Transpose(0, 2);
        yield return make([7, 20, 11], dtype, seed + 2).Slice(1, 1, 19, 2);
    }

    // ---- gather, index_select ----

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Bool)]
    public void GatherMatchesCpuOnStridedSourcesAndIndices(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        foreach (var x in Layouts(dtype, 1))
            for (int dim = 0; dim < 3; dim++)
            {
                long[] shape = [5, 4, 6];
                shape[dim] = 13; // longer than the source along dim: entries repeat
                var index = Indices(shape, x.Size(dim), 10 + dim);
                var transposedIndex = Indices([shape[2], shape[1], shape[0]], x.Size(dim), 20 + dim).Transpose(0, 2);
                Equal(x.Gather(dim, index), OnDevice(x).Gather(dim, OnDevice(index)));
                Equal(x.Gather(dim, transposedIndex), OnDevice(x).Gather(dim, OnDevice(transposedIndex)));
            }
    }

    [Fact]
    public void GatherWithAnExpandedIndexAndNegativeDim()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([6, 8, 5], DType.Float32, 3);
        var index = Indices([6, 1, 9], 5, 4).Expand(6, 8, 9); // stride 0 in dimension 1
        Equal(x.Gather(-1, index), OnDevice(x).Gather(-1, OnDevice(index)));
        var scalarSource = Torch.Scalar(2.5f);
        var zero = Torch.Zeros([3], DType.Int64);
        Equal(scalarSource.Gather(0, zero), OnDevice(scalarSource).Gather(0, OnDevice(zero)));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Int64)]
    public void IndexSelectMatchesCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        var index = Torch.NewTensor(new long[] { 3, 0, 3, 6, 1 });
        foreach (var x in Layouts(dtype, 5))
            for (int dim = 0; dim < 3; dim++)
                Equal(x.IndexSelect(dim, index), OnDevice(x).IndexSelect(dim, OnDevice(index)));
    }

    [Fact]
    public void GatherOutOfRangeRaisesAtTheNextSynchronisation()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([4, 11], DType.Float32, 6);
        foreach (long bad in new long[] { 11, -1 })
        {
            var index = Torch.NewTensor(new long[] { 0, 3, bad, 2 }).View(2, 2);
            var cpu = Assert.Throws<IndexOutOfRangeException>(() => x.Gather(1, index));
            Assert.Equal($"index {bad} is out of bounds for dimension 1 with size 11", cpu.Message);
            // CUDA queues the check with the gather (which skips the bad index) and raises at the next read back
            var gathered = OnDevice(x).Gather(1, OnDevice(index));
            var gpu = Assert.Throws<IndexOutOfRangeException>(() => gathered.Cpu());
            Assert.Equal("index is out of bounds for dimension 1 with size 11 (an index on cuda:0; CUDA reports it at the next synchronisation)", gpu.Message);
            Assert.Equal(x[0, 3].Item<float>(), OnDevice(x).Gather(1, OnDevice(Torch.NewTensor(new long[] { 3 }).View(1, 1))).Item<float>());
        }
        var select = Assert.Throws<IndexOutOfRangeException>(() => { OnDevice(x).IndexSelect(0, OnDevice(Torch.NewTensor(new long[] { 4 }))); Torch.Cuda.Synchronize(); });
        Assert.StartsWith("index out of range in self", select.Message);
    }

    // ---- scatter, scatter_add ----

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int8)]
    public void ScatterWithoutCollisionsMatchesCpu(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        foreach (var x in Layouts(dtype, 7))
            for (int dim = 0; dim < 3; dim++)
            {
                long[] shape = [5, 4, 6];
                shape[dim] = Math.Min(5, x.Size(dim));
                var index = UniqueAlongDim(shape, dim, x.Size(dim), 30 + dim);
                // a source larger than the index (read at the index's positions) and transposed
                var src = Values([8, 8, 8], dtype, 40 + dim).Transpose(0, 1);
                Equal(x.Scatter(dim, index, src), OnDevice(x).Scatter(dim, OnDevice(index), OnDevice(src)));
                Equal(x.Scatter(dim, index, 1.5), OnDevice(x).Scatter(dim, OnDevice(index), 1.5));
            }
    }

    [Fact]
    public void ScatterInPlaceWritesThroughAStridedView()
    {
        DeviceBuffer.RequireDevice();
        var expected = Values([9, 7], DType.Float32, 8).T(); // [7, 9], strides [1, 7]
        var actual = OnDevice(expected);
        var index = UniqueAlongDim([3, 9], 0, 7, 9);
        var src = Values([3, 9], DType.Float32, 10);
        expected.Scatter_(0, index, src);
        actual.Scatter_(0, OnDevice(index), OnDevice(src));
        Equal(expected, actual);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int16)]
    [InlineData(DType.Int8)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void ScatterAddSumsEveryDuplicateIndex(DType dtype)
    {
        DeviceBuffer.RequireDevice();
        foreach (var x in Layouts(dtype, 11, smallIntegers: dtype.IsFloatingPoint()))
        {
            for (int dim = 0; dim < 3; dim++)
            {
                long[] shape = [5, 4, 6];
                shape[dim] = 13; // more entries than targets: every line has duplicates
                var index = Indices(shape, Math.Min(3, x.Size(dim)), 50 + dim);
                var src = dtype.IsFloatingPoint() ? SmallIntegers(shape, dtype, 60 + dim) : Values(shape, dtype, 60 + dim);
                Equal(x.ScatterAdd(dim, index, src), OnDevice(x).ScatterAdd(dim, OnDevice(index), OnDevice(src)));
            }
        }
    }

    [Fact]
    public void ScatterAddOfRandomDoublesAgreesToRounding()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([6, 50], DType.Float64, 13);
        var index = Indices([6, 400], 50, 14);
        var src = Values([6, 400], DType.Float64, 15);
        CudaTensorTests.Close(x.ScatterAdd(1, index, src), OnDevice(x).ScatterAdd(1, OnDevice(index), OnDevice(src)), 1e-12, 1e-12);
    }

    [Fact]
    public void IndexAddAccumulatesAlongTheDim()
    {
        DeviceBuffer.RequireDevice();
        var x = SmallIntegers([5, 7], DType.Float32, 16);
        var index = Torch.NewTensor(new long[] { 2, 0, 2, 2, 6 });
        var source = SmallIntegers([5, 5], DType.Float32, 17);
        Equal(x.IndexAdd(1, index, source, alpha: 2), OnDevice(x).IndexAdd(1, OnDevice(index), OnDevice(source), alpha: 2));
    }

    [Fact]
    public void ScatterAddOfBoolSaysNotImplementedAsTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Zeros([4], DType.Bool);
        var index = Torch.NewTensor(new long[] { 0, 1 });
        var src = Torch.Ones([2], DType.Bool);
        var cpu = Assert.Throws<NotSupportedException>(() => x.ScatterAdd(0, index, src));
        var gpu = Assert.Throws<NotSupportedException>(() => OnDevice(x).ScatterAdd(0, OnDevice(index), OnDevice(src)));
        Assert.Equal("scatter_add is not implemented for dtype bool", cpu.Message);
        Assert.Equal(cpu.Message, gpu.Message);
    }

    // ---- advanced indexing: index wrapping, index_put, masks ----

    [Fact]
    public void TensorIndicesWrapNegativeEntries()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([7, 5, 6], DType.Float32, 18);
        var rows = Torch.NewTensor(new long[] { -1, 0, -7, 3, 6 });
        var cols = Torch.NewTensor(new long[] { 2, -6, 5, -1, 0 });
        Equal(x[rows], OnDevice(x)[OnDevice(rows)]);
        Equal(x[rows, TensorIndex.Slice(), cols], OnDevice(x)[OnDevice(rows), TensorIndex.Slice(), OnDevice(cols)]);
        var gridRows = Torch.NewTensor(new long[] { -1, 0, -5, 3, 4 }).View(5, 1);
        var gridCols = Torch.NewTensor(new long[] { -5, 4, 0 });
        Equal(x[TensorIndex.Slice(), gridRows, gridCols], OnDevice(x)[TensorIndex.Slice(), OnDevice(gridRows), OnDevice(gridCols)]);
    }

    [Fact]
    public void AnOutOfRangeTensorIndexNamesTheFirstOneAsTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var x = Values([7, 5], DType.Float32, 19);
        foreach (var entries in new[] { new long[] { 0, 9, -9, 3 }, new long[] { 1, -8, 7 } })
        {
            var index = Torch.NewTensor(entries);
            var cpu = Assert.Throws<IndexOutOfRangeException>(() => x[index]);
            var gpu = Assert.Throws<IndexOutOfRangeException>(() => OnDevice(x)[OnDevice(index)]);
            Assert.Equal($"index {entries[1]} is out of bounds for dimension 0 with size 7", cpu.Message);
            Assert.Equal(cpu.Message, gpu.Message);
        }
        var column = Torch.NewTensor(new long[] { 4, 5 });
        var cpuColumn = Assert.Throws<IndexOutOfRangeException>(() => x[TensorIndex.Slice(), column]);
        var gpuColumn = Assert.Throws<IndexOutOfRangeException>(() => OnDevice(x)[TensorIndex.Slice(), OnDevice(column)]);
        Assert.Equal("index 5 is out of bounds for dimension 1 with size 5", cpuColumn.Message);
        Assert.Equal(cpuColumn.Message, gpuColumn.Message);
    }

    [Fact]
    public void IndexPutWritesTheIndexedRows()
    {
        DeviceBuffer.RequireDevice();
        var expected = Values([8, 6], DType.Float64, 20);
        var actual = OnDevice(expected);
        var rows = Torch.NewTensor(new long[] { -1, 2, 5 });
        var value = Values([3, 6], DType.Float64, 21);
        expected[rows] = value;
        actual[OnDevice(rows)] = OnDevice(value);
        Equal(expected, actual);
        expected.IndexPut_([TensorIndex.Slice(), Torch.NewTensor(new long[] { 0, -2 })], 7.0);
        actual.IndexPut_([TensorIndex.Slice(), OnDevice(Torch.NewTensor(new long[] { 0, -2 }))], 7.0);
        Equal(expected, actual);
    }

    /// <summary>Masks of several tiles (the kernel counts 4096 elements per block), all true, all false and empty.</summary>
    public static TheoryData<long[], double> Masks() => new()
    {
        { [37, 130], 0.5 },
        { [3, 50, 61], 0.03 },
        { [10_000], 0.9 },
        { [64, 129], 1.0 },
        { [64, 129], 0.0 },
        { [0, 5], 0.5 },
    };

    static Tensor Mask(long[] shape, double density, int seed) => Torch.Rand(shape, generator: new Generator(seed)) < density;

    [Theory]
    [MemberData(nameof(Masks))]
    public void NonzeroListsTheTrueElementsInRowMajorOrder(long[] shape, double density)
    {
        DeviceBuffer.RequireDevice();
        var mask = Mask(shape, density, 22);
        var expected = Cpu.Nonzero(mask);
        var onDevice = mask.Cuda();
        var actual = Backend.For(onDevice).Nonzero(onDevice);
        Assert.Equal(expected.ShapeRef, actual.ShapeRef);
        Assert.Equal(expected.ToArray<long>(), actual.Cpu().ToArray<long>());
    }

    [Theory]
    [MemberData(nameof(Masks))]
    public void MaskIndexingSelectsAndWritesTheTrueElements(long[] shape, double density)
    {
        DeviceBuffer.RequireDevice();
        var mask = Mask(shape, density, 23);
        var x = Values([.. shape, 3], DType.Float32, 24); // a trailing dimension the mask does not cover
        Equal(x[mask], OnDevice(x)[OnDevice(mask)]);
        var written = OnDevice(x);
        written[OnDevice(mask)] = -1.0;
        x[mask] = -1.0;
        Equal(x, written);
    }

    // ---- randperm ----

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(100_003)]
    [InlineData(1 << 20)]
    public void RandpermIsTheCpusPermutationForTheSameSeed(int n)
    {
        DeviceBuffer.RequireDevice();
        var cpuGenerator = new Generator(25);
        var gpuGenerator = new Generator(25);
        var expected = Torch.Randperm(n, generator: cpuGenerator);
        var actual = Torch.Randperm(n, device: Device.Parse("cuda:0"), generator: gpuGenerator);
        Assert.Equal(DType.Int64, actual.DType);
        Equal(expected, actual);
        // both generators moved past the same draws
        Assert.Equal(Torch.Randint(0, 1000, [4], generator: cpuGenerator).ToArray<long>(), Torch.Randint(0, 1000, [4], generator: gpuGenerator).ToArray<long>());
    }

    [Fact]
    public void RandpermIsAPermutationInTheRequestedDtype()
    {
        DeviceBuffer.RequireDevice();
        var p = Torch.Randperm(5000, DType.Float32, Device.Parse("cuda:0"), generator: new Generator(26));
        Assert.Equal(DType.Float32, p.DType);
        var sorted = p.Cpu().ToArray<float>().Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (float)i).ToArray(), sorted);
    }
}
