using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// Training-mode dropout of float32/float64 tensors runs as one fused op; it must give exactly what the composition
/// input * ((rand_like(input) &gt;= p) / (1 - p)) gives from the same generator state, and advance the generator alike.
/// </summary>
public class FusedDropoutTests
{
    static double[] Values(Tensor t) => t.Detach().To(DType.Float64).Contiguous().ToArray<double>();

    static Tensor ComposedScale(Tensor x, double p, Generator generator) =>
        (Torch.RandLike(x, generator: generator) >= p).To(x.DType) / (1 - p);

    [Theory]
    [InlineData(DType.Float32, 7, 0.5, false)]
    [InlineData(DType.Float64, 7, 0.2, false)]
    [InlineData(DType.Float32, 1001, 0.3, true)]
    [InlineData(DType.Float64, 1001, 0.7, true)]
    [InlineData(DType.Float32, 140_003, 0.5, false)] // several chunks of whole Philox blocks over the threads
    [InlineData(DType.Float64, 140_003, 0.1, true)]
    public void OutputGradientAndGeneratorMatchTheComposition(DType dtype, long n, double p, bool strided)
    {
        var data = Torch.Randn([n], dtype, generator: new Generator(1)) * 3;
        data.Index(0).Fill_(double.PositiveInfinity); // dropped: inf * 0 = NaN in both; kept: inf
        // strided: the op sees every other element of a leaf twice as long
        var leaf = (strided ? Torch.Stack([data, Torch.ZerosLike(data)], 1).Flatten() : data.Clone()).RequiresGrad_();
        var x = strided ? leaf.Index(TensorIndex.Slice(0, null, 2)) : leaf;
        Assert.Equal(!strided, x.IsContiguous());

        var fusedGenerator = new Generator(7);
        var y = Functional.Dropout(x, p, generator: fusedGenerator);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        Assert.Equal(dtype, y.DType);
        var composedGenerator = new Generator(7);
        var scale = ComposedScale(data, p, composedGenerator);
        Assert.Equal(Values(data * scale), Values(y));
        // the same blocks reserved: both generators draw the same numbers next
        Assert.Equal(Values(Torch.Rand([5], generator: composedGenerator)), Values(Torch.Rand([5], generator: fusedGenerator)));

        var gy = Torch.Randn([n], dtype, generator: new Generator(2));
        y.Backward(gy);
        var gradX = strided ? leaf.Grad!.Index(TensorIndex.Slice(0, null, 2)) : leaf.Grad!;
        Assert.Equal(Values(gy * scale), Values(gradX));
        if (strided) Assert.All(Values(leaf.Grad!.Index(TensorIndex.Slice(1, null, 2))), g => Assert.Equal(0, g));
    }

    [Fact]
    public void GradCheckAndCreateGraph()
    {
        var x = Torch.Randn([4, 5], DType.Float64, generator: new Generator(3), requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.Dropout(t[0], 0.4, generator: new Generator(9)), [x]));
        var v = Torch.Randn([4, 5], DType.Float64, generator: new Generator(4), requiresGrad: true);
        var y = Functional.Dropout(x, 0.4, generator: new Generator(9));
        var gx = Torch.Grad([y], [x], [v], createGraph: true)[0]!;
        Assert.NotNull(gx.GradFn);
        gx.Sum().Backward();
        Assert.Equal(Values(ComposedScale(x, 0.4, new Generator(9))), Values(v.Grad!));
    }

    [Fact]
    public void TheDefaultGeneratorAndTheModuleReproduceFromTheSeed()
    {
        var x = Torch.Ones([3, 50]);
        var dropout = new Dropout(0.5);
        Torch.ManualSeed(11);
        var first = dropout.Call(x);
        Torch.ManualSeed(11);
        var second = dropout.Call(x);
        Assert.Equal(Values(first), Values(second));
        Assert.All(Values(first), value => Assert.True(value is 0 or 2));
        dropout.Eval();
        Assert.Same(x, dropout.Call(x));
    }

    [Fact]
    public void HalfTypesKeepTheComposition()
    {
        var x = Torch.Ones([64], DType.Float16);
        var y = Functional.Dropout(x, 0.25, generator: new Generator(5));
        Assert.Equal(DType.Float16, y.DType);
        var expected = x * ((Torch.RandLike(x, generator: new Generator(5)) >= 0.25).To(DType.Float16) / 0.75);
        Assert.Equal(Values(expected), Values(y));
    }
}
