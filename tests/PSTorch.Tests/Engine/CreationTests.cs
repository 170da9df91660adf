using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class CreationTests
{
    [Fact]
    public void IntegersInferInt64()
    {
        var t = Torch.NewTensor(new[] { 1, 2, 3 });
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal(new long[] { 3 }, t.Shape);
        Assert.Equal(new long[] { 1, 2, 3 }, t.ToArray<long>());
    }

    [Fact]
    public void AnyFloatInfersTheDefaultFloatType()
    {
        var t = Torch.NewTensor(new object[] { 1, 2.5 });
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(new float[] { 1, 2.5f }, t.ToArray<float>());
        Assert.Equal(DType.Float32, Torch.NewTensor(new[] { 1.0, 2.0 }).DType);
    }

    [Fact]
    public void BoolsInferBoolAndMixedWithIntegersInferInt64()
    {
        Assert.Equal(DType.Bool, Torch.NewTensor(new[] { true, false }).DType);
        var mixed = Torch.NewTensor(new object[] { true, 3 });
        Assert.Equal(DType.Int64, mixed.DType);
        Assert.Equal(new long[] { 1, 3 }, mixed.ToArray<long>());
    }

    [Fact]
    public void Scalars()
    {
        var f = Torch.NewTensor(3.5);
        Assert.Equal(0, f.NDim);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(3.5, (double)f.Item());
        Assert.Equal(DType.Int64, Torch.NewTensor(7).DType);
        Assert.Equal(DType.Bool, Torch.NewTensor(true).DType);
    }

    [Fact]
    public void MultidimensionalAndJaggedArrays()
    {
        var md = Torch.NewTensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, md.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, md.ToArray<float>());
        var jagged = Torch.NewTensor(new[] { new[] { 1.0, 2.0 }, new[] { 3.0, 4.0 } });
        Assert.Equal(new long[] { 2, 2 }, jagged.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, jagged.ToArray<float>());
        var nested = Torch.NewTensor(new List<object> { new List<object> { 1, 2 }, new[] { 3, 4 } });
        Assert.Equal(new long[] { 1, 2, 3, 4 }, nested.ToArray<long>());
        var md3 = Torch.NewTensor(new int[2, 0, 3]);
        Assert.Equal(new long[] { 2, 0, 3 }, md3.Shape);
    }

    [Fact]
    public void EnumerablesAreRead()
    {
        var t = Torch.NewTensor(Enumerable.Range(0, 4));
        Assert.Equal(new long[] { 0, 1, 2, 3 }, t.ToArray<long>());
    }

    [Fact]
    public void EmptyListIsAFloatVector()
    {
        var t = Torch.NewTensor(new List<object>());
        Assert.Equal(new long[] { 0 }, t.Shape);
        Assert.Equal(DType.Float32, t.DType);
    }

    [Fact]
    public void RaggedDataNamesTheDimensionAndLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.NewTensor(new[] { new[] { 1, 2, 3 }, new[] { 4, 5 } }));
        Assert.Equal("expected sequence of length 3 at dim 1 (got 2)", e.Message);
        var deeper = Assert.Throws<ArgumentException>(() => Torch.NewTensor(new object[] { 1, new[] { 2, 3 } }));
        Assert.Contains("at dim 1", deeper.Message);
        Assert.Throws<ArgumentException>(() => Torch.NewTensor(new object[] { new[] { 1 }, 2 }));
        Assert.Contains("Could not infer dtype of String", Assert.Throws<ArgumentException>(() => Torch.NewTensor(new object[] { "a" })).Message);
    }

    [Fact]
    public void DTypeAndRequiresGradOverrides()
    {
        var t = Torch.NewTensor(new[] { 1, 2 }, DType.Float64, requiresGrad: true);
        Assert.Equal(DType.Float64, t.DType);
        Assert.True(t.RequiresGrad);
        Assert.True(t.IsLeaf);
        Assert.Equal(DType.Int32, Torch.NewTensor(new[] { 1L << 40 >> 40, 5L }, DType.Int32).DType);
    }

    [Fact]
    public void DoubleArrayAsFloat64KeepsEveryDigit()
    {
        // converted once to the requested dtype, not through the default float32
        Assert.Equal(new[] { 0.1, 1e-4 }, Torch.NewTensor(new[] { 0.1, 1e-4 }, DType.Float64).ToArray<double>());
        Assert.Equal(new[] { 0.1, 1e-4 }, Torch.NewTensor(new[,] { { 0.1, 1e-4 } }, DType.Float64).ToArray<double>());
    }

    [Fact]
    public void TypedArraysKeepTheirKindAndValues()
    {
        // an empty bool[] is still bools (as an empty numpy bool array is), unlike an untyped empty list
        Assert.Equal(DType.Bool, Torch.NewTensor(Array.Empty<bool>()).DType);
        Assert.Equal(new[] { true, false }, Torch.NewTensor(new[] { true, false }).ToArray<bool>());
        Assert.Equal(new long[] { 65535, 7 }, Torch.NewTensor(new ushort[] { 65535, 7 }).ToArray<long>());
        Assert.Equal(new long[] { 4294967295 }, Torch.NewTensor(new uint[] { uint.MaxValue }).ToArray<long>());
    }

    [Fact]
    public void FromATensorCopiesAndDetaches()
    {
        var src = Torch.Ones([2], requiresGrad: true);
        var y = src * 3;
        var copy = Torch.NewTensor(y);
        Assert.False(copy.RequiresGrad);
        Assert.False(copy.SharesStorageWith(y));
        copy.Fill_(0);
        Assert.Equal(new float[] { 3, 3 }, y.ToArray<float>());
    }

    [Fact]
    public void ArangeIntegerAndFloatForms()
    {
        var a = Torch.Arange(5);
        Assert.Equal(DType.Int64, a.DType);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, a.ToArray<long>());
        Assert.Equal(new long[] { 10, 7, 4, 1 }, Torch.Arange(10, 0, -3).ToArray<long>());
        var f = Torch.Arange(0, 1, 0.25);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f }, f.ToArray<float>());
        // ceil((end - start) / step) elements
        Assert.Equal(4, Torch.Arange(0, 1, 0.3).Numel());
        Assert.Equal(3, Torch.Arange(1, 2.5, 0.5).Numel());
        Assert.Equal(new double[] { 0, 1, 2 }, Torch.Arange(2.5, DType.Float64).ToArray<double>());
    }

    [Fact]
    public void ArangeErrors()
    {
        Assert.Equal("step must be nonzero", Assert.Throws<ArgumentException>(() => Torch.Arange(0, 5, 0)).Message);
        Assert.Equal("upper bound and larger bound inconsistent with step sign", Assert.Throws<ArgumentException>(() => Torch.Arange(0, 5, -1)).Message);
    }

    [Fact]
    public void LinspaceIncludesBothEnds()
    {
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f, 1 }, Torch.Linspace(0, 1, 5).ToArray<float>());
        Assert.Equal(new float[] { -1 }, Torch.Linspace(-1, 1, 1).ToArray<float>());
        Assert.Equal(0, Torch.Linspace(0, 1, 0).Numel());
        var third = Torch.Linspace(0, 1, 4, DType.Float64).ToArray<double>();
        Assert.Equal(1.0, third[3]);
        Assert.Equal(1.0 / 3, third[1], 15);
    }

    [Fact]
    public void EyeSquareAndRectangular()
    {
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, Torch.Eye(3).ToArray<float>());
        var r = Torch.Eye(2, 3, DType.Int64);
        Assert.Equal(new long[] { 2, 3 }, r.Shape);
        Assert.Equal(new long[] { 1, 0, 0, 0, 1, 0 }, r.ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 0, 1, 0, 0 }, Torch.Eye(3, 2, DType.Int64).ToArray<long>());
    }

    [Fact]
    public void FullZerosOnesKeepTheirDefaults()
    {
        Assert.Equal(new float[] { 7, 7 }, Torch.Full([2], 7).ToArray<float>());
        Assert.Equal(DType.Float32, Torch.Zeros(2).DType);
        Assert.Equal(new long[] { 1, 1 }, Torch.Ones([2], DType.Int64).ToArray<long>());
    }
}
