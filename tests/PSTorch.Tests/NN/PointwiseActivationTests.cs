using PSTorch;
using PSTorch.NN;
using PSTorch.Tests.Engine;
using Xunit;

namespace PSTorch.Tests.NN;

public class PointwiseActivationTests
{
    static readonly double[] Points = [-40, -25, -3.5, -3, -1.2, -0.4, 0, 0.3, 0.5, 1.7, 3, 4.2, 19.5, 25];

    // away from every activation's kinks (0, ±0.5, ±1, ±3, 6), for gradcheck
    static readonly double[] SmoothPoints = [-3.7, -2.7, -1.3, -0.45, -0.2, 0.2, 0.8, 1.6, 2.4, 3.6];

    const double SeluAlpha = 1.6732632423543772848170429916717, SeluScale = 1.0507009873554804934193349852946;

    static double Softplus(double x, double beta = 1, double threshold = 20) => beta * x > threshold ? x : Math.Log(1 + Math.Exp(beta * x)) / beta;

    public static TheoryData<string> Names => ["Softplus", "LogSigmoid", "Hardtanh", "ReLU6", "PReLU", "SELU", "CELU", "Mish", "Hardswish", "Hardsigmoid",
        "Softsign", "Tanhshrink", "Hardshrink", "Softshrink", "Threshold"];

    /// <summary>Each activation as a module, its functional form and a float64 reference written from PyTorch's formula.</summary>
    static (Module Module, Func<Tensor, Tensor> Functional, Func<double, double> Reference) Case(string name) => name switch
    {
        "Softplus" => (new Softplus(2, 10), x => Functional.Softplus(x, 2, 10), x => Softplus(x, 2, 10)),
        "LogSigmoid" => (new LogSigmoid(), Functional.LogSigmoid, x => -Softplus(-x, 1, double.PositiveInfinity)),
        "Hardtanh" => (new Hardtanh(-2, 1.5), x => Functional.Hardtanh(x, -2, 1.5), x => Math.Clamp(x, -2, 1.5)),
        "ReLU6" => (new ReLU6(), x => Functional.Relu6(x), x => Math.Clamp(x, 0, 6)),
        "PReLU" => (new PReLU(), x => Functional.Prelu(x, Torch.Full([1], 0.25, x.DType)), x => x > 0 ? x : 0.25 * x),
        "SELU" => (new SELU(), x => Functional.Selu(x), x => SeluScale * (Math.Max(0, x) + Math.Min(0, SeluAlpha * (Math.Exp(x) - 1)))),
        "CELU" => (new CELU(0.5), x => Functional.Celu(x, 0.5), x => Math.Max(0, x) + Math.Min(0, 0.5 * (Math.Exp(x / 0.5) - 1))),
        "Mish" => (new Mish(), x => Functional.Mish(x), x => x * Math.Tanh(Softplus(x))),
        "Hardswish" => (new Hardswish(), x => Functional.Hardswish(x), x => x * Math.Clamp(x + 3, 0, 6) / 6),
        "Hardsigmoid" => (new Hardsigmoid(), x => Functional.Hardsigmoid(x), x => Math.Clamp(x + 3, 0, 6) / 6),
        "Softsign" => (new Softsign(), Functional.Softsign, x => x / (1 + Math.Abs(x))),
        "Tanhshrink" => (new Tanhshrink(), Functional.Tanhshrink, x => x - Math.Tanh(x)),
        "Hardshrink" => (new Hardshrink(), x => Functional.Hardshrink(x), x => Math.Abs(x) > 0.5 ? x : 0),
        "Softshrink" => (new Softshrink(), x => Functional.Softshrink(x), x => x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0),
        "Threshold" => (new Threshold(0.1, 20), x => Functional.Threshold(x, 0.1, 20), x => x > 0.1 ? x : 20),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ModuleAndFunctionalMatchTheFloat64Formula(string name)
    {
        var (module, functional, reference) = Case(name);
        var x = TensorAssert.Doubles(Points);
        var expected = Points.Select(reference).ToArray();
        TensorAssert.Close(expected, functional(x), 1e-12);
        TensorAssert.Close(expected, module.Call(x), 1e-12);
        // float32 to torch.testing's float32 atol (1e-5): Mish(-40) is -40 times a one-ulp error of log(1.0f)
        TensorAssert.Close(expected, module.Call(x.To(DType.Float32)), 1e-5);
        Assert.Equal(DType.Float32, module.Call(x.To(DType.Float32)).DType);
        // a transposed (non-contiguous) input keeps its layout's values
        var grid = TensorAssert.Doubles(Points, 2, 7).T();
        var expectedGrid = grid.Contiguous().ToArray<double>().Select(reference).ToArray();
        TensorAssert.Close(expectedGrid, functional(grid), 1e-12);
        Assert.Equal([7L, 2], functional(grid).Shape);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GradCheckInFloat64(string name)
    {
        var (_, functional, _) = Case(name);
        var x = TensorAssert.Leaf(SmoothPoints, 2, 5);
        Assert.True(Torch.GradCheck(t => functional(t[0]), [x]));
    }

    [Fact]
    public void SoftplusRevertsToTheInputAboveTheThresholdAndStaysFiniteAtTheExtremes()
    {
        var x = TensorAssert.Leaf([100, 1000, -1000, 0]);
        var y = Functional.Softplus(x);
        TensorAssert.Close([100, 1000, 0, Math.Log(2)], y, 1e-15);
        y.Sum().Backward();
        TensorAssert.Close([1, 1, 0, 0.5], x.Grad!, 1e-15);
        var f = Torch.FromArray(new float[] { 200, -200 }).RequiresGrad_();
        var ls = Functional.LogSigmoid(f);
        TensorAssert.Close([0, -200], ls, 1e-7);
        ls.Sum().Backward();
        TensorAssert.Close([0, 1], f.Grad!, 1e-7);
    }

    [Fact]
    public void PReLUHasOneSlopePerChannelInitialisedToInit()
    {
        var prelu = new PReLU(3, 0.1, DType.Float64);
        var (name, weight) = Assert.Single(prelu.NamedParameters());
        Assert.Equal("weight", name);
        TensorAssert.Close([0.1, 0.1, 0.1], weight, 0);
        weight.Detach().Copy_(TensorAssert.Doubles([0.1, 0.2, 0.3]));
        var x = TensorAssert.Doubles([-1, 2, -1, -1, -4, 5], 1, 3, 2);
        TensorAssert.Close([-0.1, 2, -0.2, -0.2, -1.2, 5], prelu.Call(x), 1e-15);
        Assert.Equal("PReLU(num_parameters=3)", prelu.ToString());
        Assert.Equal("Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4.",
            Assert.Throws<ArgumentException>(() => prelu.Call(Torch.Randn(2, 4))).Message);
        var w = TensorAssert.Leaf([0.1, 0.2, 0.3]);
        Assert.True(Torch.GradCheck(t => Functional.Prelu(t[0], t[1]), [TensorAssert.Leaf([-1, 2, -0.5, 0.7, -3, 1.5], 2, 3), w]));
    }

    [Fact]
    public void GluHalvesTheDimAndSoftminIsSoftmaxOfTheNegation()
    {
        var x = TensorAssert.Doubles([1, 2, 3, 4, 5, 6, 7, 8], 2, 4);
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        TensorAssert.Close([1 * Sigmoid(3), 2 * Sigmoid(4), 5 * Sigmoid(7), 6 * Sigmoid(8)], new GLU().Call(x), 1e-15);
        TensorAssert.Close([1 * Sigmoid(5), 2 * Sigmoid(6), 3 * Sigmoid(7), 4 * Sigmoid(8)], Functional.Glu(x, 0), 1e-15);
        Assert.Equal("Halving dimension must be even, but dimension 1 is size 3", Assert.Throws<ArgumentException>(() => Functional.Glu(Torch.Randn(2, 3))).Message);
        Assert.Equal("glu does not support scalars because halving size must be even", Assert.Throws<ArgumentException>(() => Functional.Glu(Torch.Scalar(1))).Message);
        Assert.True(Torch.GradCheck(t => Functional.Glu(t[0], 1), [TensorAssert.Leaf([0.3, -1, 2, 0.5, 1, -2, 0.1, 0.9], 2, 4)]));

        var softmin = new Softmin(1).Call(x);
        double z = Math.Exp(-1) + Math.Exp(-2) + Math.Exp(-3) + Math.Exp(-4);
        TensorAssert.Close([Math.Exp(-1) / z, Math.Exp(-2) / z, Math.Exp(-3) / z, Math.Exp(-4) / z], softmin.Select(0, 0), 1e-15);
        Assert.True(Torch.GradCheck(t => Functional.Softmin(t[0], 0), [TensorAssert.Leaf([0.3, -1, 2, 0.5], 2, 2)]));
    }

    [Fact]
    public void InplaceVariantsWriteIntoTheInput()
    {
        var x = TensorAssert.Doubles([-2, 0.5, 7]);
        var y = new ReLU6(inplace: true).Call(x);
        Assert.Same(x, y);
        TensorAssert.Close([0, 0.5, 6], x, 0);
        var leaf = TensorAssert.Leaf([1, 2]);
        Assert.Throws<InvalidOperationException>(() => Functional.Hardswish(leaf, inplace: true));
    }

    [Fact]
    public void ErrorsAndReprsAreTorchs()
    {
        Assert.Equal("lambda must be greater or equal to 0, but found to be -1.0.", Assert.Throws<ArgumentException>(() => Functional.Softshrink(Torch.Randn(2), -1)).Message);
        Assert.Throws<ArgumentException>(() => new Hardtanh(1, -1));
        Assert.Equal("Softplus(beta=1.0, threshold=20.0)", new Softplus().ToString());
        Assert.Equal("Softplus(beta=2.0, threshold=10.0)", new Softplus(2, 10).ToString());
        Assert.Equal("Hardtanh(min_val=-1.0, max_val=1.0)", new Hardtanh().ToString());
        Assert.Equal("Hardtanh(min_val=-2.0, max_val=1.5, inplace=True)", new Hardtanh(-2, 1.5, true).ToString());
        Assert.Equal("ReLU6()", new ReLU6().ToString());
        Assert.Equal("ReLU6(inplace=True)", new ReLU6(true).ToString());
        Assert.Equal("PReLU(num_parameters=1)", new PReLU().ToString());
        Assert.Equal("SELU()", new SELU().ToString());
        Assert.Equal("CELU(alpha=1.0)", new CELU().ToString());
        Assert.Equal("Mish()", new Mish().ToString());
        Assert.Equal("Hardswish()", new Hardswish().ToString());
        Assert.Equal("Hardsigmoid()", new Hardsigmoid().ToString());
        Assert.Equal("LogSigmoid()", new LogSigmoid().ToString());
        Assert.Equal("Softsign()", new Softsign().ToString());
        Assert.Equal("Tanhshrink()", new Tanhshrink().ToString());
        Assert.Equal("Hardshrink(0.5)", new Hardshrink().ToString());
        Assert.Equal("Softshrink(0.5)", new Softshrink().ToString());
        Assert.Equal("Threshold(threshold=0.1, value=20.0)", new Threshold(0.1, 20).ToString());
        Assert.Equal("GLU(dim=-1)", new GLU().ToString());
        Assert.Equal("Softmin(dim=1)", new Softmin(1).ToString());
    }
}
