using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

public class ElementwiseTests
{
    static Tensor D(params double[] v) => Torch.NewTensor(v, DType.Float64);
    static Tensor Leaf(double[] v, params long[] shape) => Torch.FromArray(v, shape, requiresGrad: true);

    static void Near(double[] expected, Tensor actual, double tol = 1e-6)
    {
        var a = actual.To(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol || (double.IsNaN(expected[i]) && double.IsNaN(a[i])), $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    [Fact]
    public void UnaryValues()
    {
        var x = D(-1, 0.5, 2);
        Near([1, -0.5, -2], x.Neg());
        Near([1, 0.5, 2], x.Abs());
        Near([0, 0.5, 2], x.Relu());
        Near([Math.Exp(-1), Math.Exp(0.5), Math.Exp(2)], x.Exp());
        Near([double.NaN, Math.Log(0.5), Math.Log(2)], x.Log());
        Near([double.NaN, Math.Sqrt(0.5), Math.Sqrt(2)], x.Sqrt());
        Near([Math.Sin(-1), Math.Sin(0.5), Math.Sin(2)], x.Sin());
        Near([Math.Cos(-1), Math.Cos(0.5), Math.Cos(2)], x.Cos());
        Near([Math.Tanh(-1), Math.Tanh(0.5), Math.Tanh(2)], x.Tanh());
        Near([1 / (1 + Math.E), 1 / (1 + Math.Exp(-0.5)), 1 / (1 + Math.Exp(-2))], x.Sigmoid());
        Near([1, 0.25, 4], x.Square());
        Near([-1, 2, 0.5], x.Reciprocal());
    }

    [Fact]
    public void BinaryValues()
    {
        var a = D(1, 4, 9);
        var b = D(2, 2, 3);
        Near([3, 6, 12], a + b);
        Near([-1, 2, 6], a - b);
        Near([2, 8, 27], a * b);
        Near([0.5, 2, 3], a / b);
        Near([1, 16, 729], a.Pow(b));
        Near([1, 2, 3], a.Pow(0.5));
        Near([2, 4, 9], a.Maximum(b));
        Near([1, 2, 3], a.Minimum(b));
        Near([0, 3, 7.5], a.Sub(b, 0.5));
        Near([5, 8, 15], a.Add(b, 2));
        Near([2, 16, 512], Torch.Pow(2.0, a));
    }

    [Fact]
    public void IntegerArithmeticStaysInteger()
    {
        var a = Torch.NewTensor(new[] { 7, -7, 3 });
        var b = Torch.NewTensor(new[] { 2, 2, 4 });
        Assert.Equal(new long[] { 9, -5, 7 }, (a + b).ToArray<long>());
        Assert.Equal(new long[] { 14, -14, 12 }, (a * b).ToArray<long>());
        Assert.Equal(new long[] { 49, 49, 81 }, a.Pow(b).ToArray<long>());
        Assert.Equal(new long[] { 49, 49, 9 }, a.Square().ToArray<long>());
        Assert.Equal(DType.Int64, a.Pow(2L).DType);
        Assert.Equal(new long[] { 7, 7, 3 }, a.Abs().ToArray<long>());
        Assert.Equal(DType.Float32, a.Exp().DType);
    }

    [Fact]
    public void HalfPrecisionArithmetic()
    {
        var h = Torch.NewTensor(new[] { 1.5, 2.25 }, DType.Float16);
        var r = h + h;
        Assert.Equal(DType.Float16, r.DType);
        Near([3, 4.5], r);
        var bf = Torch.NewTensor(new[] { 1.5, -2.0 }, DType.BFloat16);
        var q = bf * bf;
        Assert.Equal(DType.BFloat16, q.DType);
        Near([2.25, 4], q);
        Near([1.5, 0], bf.Relu());
        Assert.Equal(DType.BFloat16, bf.Exp().DType);
    }

    [Fact]
    public void BroadcastingIncludingZeroSizes()
    {
        var r = Torch.Arange(6).View(2, 3) + Torch.NewTensor(new[] { 10, 20, 30 });
        Assert.Equal(new long[] { 10, 21, 32, 13, 24, 35 }, r.ToArray<long>());
        var col = Torch.NewTensor(new[,] { { 1 }, { 2 } }) * Torch.NewTensor(new[] { 1, 10 });
        Assert.Equal(new long[] { 1, 10, 2, 20 }, col.ToArray<long>());
        Assert.Equal(new long[] { 0, 3 }, (Torch.Zeros(0, 3) + Torch.Ones(3)).Shape);
        Assert.Equal(new long[] { 2, 0 }, (Torch.Zeros(2, 0) + Torch.Ones(2, 1)).Shape);
        Assert.Equal(new long[] { 0 }, Torch.Zeros(0).Exp().Shape);
        var e = Assert.Throws<ArgumentException>(() => Torch.Ones(2, 3) + Torch.Ones(4));
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", e.Message);
    }

    [Fact]
    public void NonContiguousInputs()
    {
        var t = Torch.Arange(6.0).View(2, 3).T();
        Assert.False(t.IsContiguous());
        Near([0, 3, 1, 4, 2, 5], t * 1);
        Near([0, 6, 2, 8, 4, 10], t + t);
        Near([1, 7, 3, 9, 5, 11], t + t + 1);
        var sliced = Torch.Arange(10.0).Narrow(0, 1, 8).View(4, 2).T();
        Near([1, 9, 25, 49, 4, 16, 36, 64], sliced.Square());
    }

    [Fact]
    public void Comparisons()
    {
        var a = D(1, 2, 3);
        Assert.Equal(new[] { false, true, false }, a.Eq(2).ToArray<bool>());
        Assert.Equal(new[] { true, false, false }, (a < 2).ToArray<bool>());
        Assert.Equal(new[] { false, true, true }, (a >= 2L).ToArray<bool>());
        var inPlace = D(1, 2, 3);
        inPlace.Gt_(1.5);
        Assert.Equal(DType.Float64, inPlace.DType);
        Near([0, 1, 1], inPlace);
        var flags = Torch.NewTensor(new[] { true, false });
        flags.LogicalNot_();
        Assert.Equal(new[] { false, true }, flags.ToArray<bool>());
    }

    [Fact]
    public void ClampScalarBounds()
    {
        var x = D(-2, 0.5, 3);
        Near([-1, 0.5, 1], x.Clamp(-1.0, 1.0));
        Near([0, 0.5, 3], x.ClampMin(0.0));
        Near([-2, 0.5, 1], x.ClampMax(1.0));
        Near([1, 1, 1], x.Clamp(2.0, 1.0)); // min > max gives max
        Near([double.NaN, 1], D(double.NaN, 5).Clamp(0.0, 1.0));
        Assert.Equal("torch.clamp: At least one of 'min' or 'max' must not be None",
            Assert.Throws<ArgumentException>(() => x.Clamp((double?)null, null)).Message);
    }

    [Fact]
    public void ClampTypes()
    {
        var i = Torch.NewTensor(new[] { -5, 0, 5 });
        var r = i.Clamp(-1L, 1L);
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal(new long[] { -1, 0, 1 }, r.ToArray<long>());
        var f = i.ClampMin(0.5);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new float[] { 0.5f, 0.5f, 5 }, f.ToArray<float>());
        Assert.Throws<InvalidOperationException>(() => i.Clamp_(0.5, 1.0));
    }

    [Fact]
    public void ClampTensorBoundsBroadcast()
    {
        var x = Torch.Arange(6.0).View(2, 3);
        var lo = Torch.NewTensor(new[] { 1.0, 1.0, 4.0 });
        var hi = Torch.NewTensor(new[] { 2.0, 5.0, 5.0 });
        Near([1, 1, 4, 2, 4, 5], x.Clamp(lo, hi));
        Near([1, 1, 4, 3, 4, 5], Torch.ClampMin(x, lo));
    }

    [Fact]
    public void ClampGradFnNames()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        Assert.Equal("ClampBackward1", x.Clamp(0.0, 1.0).GradFn!.Name);
        Assert.Equal("ClampMinBackward0", x.ClampMin(0.0).GradFn!.Name);
        Assert.Equal("ClampMaxBackward0", x.ClampMax(0.0).GradFn!.Name);
        Assert.Equal("ClampBackward0", x.Clamp(Torch.Zeros(2), Torch.Ones(2)).GradFn!.Name);
        Assert.Equal("ClampMinBackward1", x.ClampMin(Torch.Zeros(2)).GradFn!.Name);
        Assert.Equal("PowBackward0", x.Square().GradFn!.Name);
    }

    [Fact]
    public void ClampGradientPassesInsideTheRange()
    {
        var x = Torch.NewTensor(new[] { -2.0, 0.5, 0.9, 3.0 }, requiresGrad: true);
        x.Clamp(-1.0, 1.0).Sum().Backward();
        Assert.Equal(new float[] { 0, 1, 1, 0 }, x.Grad!.ToArray<float>());
    }

    [Fact]
    public void ClampInPlace()
    {
        var x = D(-2, 0.5, 3);
        var same = x.Clamp_(-1.0, 1.0);
        Assert.Same(x, same);
        Near([-1, 0.5, 1], x);
        Assert.Equal(1, x.Version);
        var y = Torch.NewTensor(new[] { -2.0, 0.5 }, requiresGrad: true);
        var z = y * 1;
        z.ClampMin_(0.0);
        Assert.Equal("ClampMinBackward0", z.GradFn!.Name);
        z.Sum().Backward();
        Assert.Equal(new float[] { 0, 1 }, y.Grad!.ToArray<float>());
    }

    public static TheoryData<string> DifferentiableUnary => new() { "neg", "abs", "exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "relu", "reciprocal", "square", "clamp", "clamp_min", "clamp_max" };

    static Tensor UnaryByName(string name, Tensor x) => name switch
    {
        "neg" => x.Neg(), "abs" => x.Abs(), "exp" => x.Exp(), "log" => x.Log(), "sqrt" => x.Sqrt(), "rsqrt" => x.Rsqrt(),
        "sin" => x.Sin(), "cos" => x.Cos(), "tanh" => x.Tanh(), "sigmoid" => x.Sigmoid(), "relu" => x.Relu(),
        "reciprocal" => x.Reciprocal(), "square" => x.Square(), "clamp" => x.Clamp(0.6, 2.0),
        "clamp_min" => x.ClampMin(1.0), "clamp_max" => x.ClampMax(1.0),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(DifferentiableUnary))]
    public void UnaryGradCheckContiguousAndTransposed(string name)
    {
        // positive values away from the kinks of abs/relu/clamp (0, 0.6, 1, 2)
        var values = new[] { 0.3, 0.7, 1.3, 2.4, 0.45, 1.7 };
        Assert.True(Torch.GradCheck(x => UnaryByName(name, x[0]), [Leaf(values, 2, 3)]));
        Assert.True(Torch.GradCheck(x => UnaryByName(name, x[0].T()), [Leaf(values, 2, 3)]));
        if (name is "neg" or "abs" or "relu" or "sin" or "cos" or "tanh" or "sigmoid" or "square")
            Assert.True(Torch.GradCheck(x => UnaryByName(name, x[0]), [Leaf([-0.3, -1.2, 0.8, -2.5], 4)]));
    }

    public static TheoryData<string> DifferentiableBinary => new() { "add", "sub", "mul", "div", "pow", "maximum", "minimum", "where", "clamp_tensors" };

    static Tensor BinaryByName(string name, Tensor a, Tensor b) => name switch
    {
        "add" => a + b, "sub" => a - b, "mul" => a * b, "div" => a / b, "pow" => a.Pow(b),
        "maximum" => a.Maximum(b), "minimum" => a.Minimum(b),
        "where" => Torch.Where(a > 1, a, b),
        "clamp_tensors" => a.Clamp(b, b + 1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(DifferentiableBinary))]
    public void BinaryGradCheckWithBroadcastAndNonContiguousInputs(string name)
    {
        var a = new[] { 0.3, 0.7, 1.3, 2.4, 0.45, 1.75 };
        var b = new[] { 0.5, 1.1, 1.9 };
        Assert.True(Torch.GradCheck(x => BinaryByName(name, x[0], x[1]), [Leaf(a, 2, 3), Leaf([0.4, 1.2, 2.2, 0.9, 1.5, 0.6], 2, 3)]));
        Assert.True(Torch.GradCheck(x => BinaryByName(name, x[0], x[1]), [Leaf(a, 2, 3), Leaf(b, 3)]));
        Assert.True(Torch.GradCheck(x => BinaryByName(name, x[0].T(), x[1]), [Leaf(a, 3, 2), Leaf(b, 3)]));
        Assert.True(Torch.GradCheck(x => BinaryByName(name, x[1], x[0]), [Leaf(a, 2, 3), Leaf(b, 3)]));
    }

    [Fact]
    public void ScalarOperandGradCheck()
    {
        var x = Leaf([0.3, 1.7, 2.2], 3);
        Assert.True(Torch.GradCheck(v => 2.0 - v[0] / 3 + v[0].Pow(2.5) + Torch.Pow(1.5, v[0]) + 1.0 / v[0], [x]));
    }

    [Fact]
    public void InPlaceOpsBumpTheVersion()
    {
        var x = Torch.Ones(3);
        x.Add_(1);
        x.Mul_(2.0);
        x.Exp_();
        x.Square_();
        x.Clamp_(max: 5.0);
        Assert.Equal(5, x.Version);
        Near([5, 5, 5], x);
        var view = x.View(3, 1);
        view.Sub_(1L);
        Assert.Equal(6, x.Version);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradIsRefused()
    {
        var leaf = Torch.Ones([2], requiresGrad: true);
        foreach (var op in new Action[] { () => leaf.Add_(1), () => leaf.Exp_(), () => leaf.Clamp_(0.0, 1.0), () => leaf.Square_() })
            Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", Assert.Throws<InvalidOperationException>(op).Message);
        using (Torch.NoGrad()) leaf.Add_(1);
        Assert.Equal(new float[] { 2, 2 }, leaf.ToArray<float>());
    }

    [Fact]
    public void SavedTensorModifiedInPlaceFailsBackward()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        var y = x * 2;
        var z = y.Sin(); // saves its input y
        y.Add_(1);
        Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
    }

    [Fact]
    public void WhereSelectsAndBroadcasts()
    {
        var cond = Torch.NewTensor(new[] { true, false, true });
        Near([1, 20, 3], Torch.Where(cond, D(1, 2, 3), D(10, 20, 30)));
        Near([1, 0, 3], Torch.Where(cond, D(1, 2, 3), 0.0));
        var grid = Torch.Where(Torch.NewTensor(new[,] { { true }, { false } }), D(1, 2), D(5));
        Assert.Equal(new long[] { 2, 2 }, grid.Shape);
        Near([1, 2, 5, 5], grid);
        Assert.Equal(DType.Int64, Torch.Where(cond, Torch.Arange(3), Torch.Arange(3)).DType);
    }

    [Fact]
    public void TorchStaticFormsMatchTheMethods()
    {
        var a = D(0.5, 2);
        var b = D(3, 4);
        Assert.True(Torch.Equal(Torch.Add(a, b), a + b));
        Assert.True(Torch.Equal(Torch.Mul(a, 3L), a * 3));
        Assert.True(Torch.Equal(Torch.Exp(a), a.Exp()));
        Assert.True(Torch.Equal(Torch.Clamp(a, 1.0, 1.5), a.Clamp(1.0, 1.5)));
        Assert.True(Torch.Equal(Torch.Maximum(a, b), b));
        Assert.True(Torch.Equal(Torch.Sigmoid(a), a.Sigmoid()));
        Assert.True(Torch.Equal(Torch.LogicalNot(Torch.Gt(a, 1)), a <= 1.0));
    }

    [Fact]
    public void EqualAllCloseIsClose()
    {
        Assert.True(Torch.Equal(D(1, 2), D(1, 2)));
        Assert.False(Torch.Equal(D(1, 2), D(1, 3)));
        Assert.False(Torch.Equal(D(1, 2), D(1, 2, 3)));
        Assert.False(Torch.Equal(D(double.NaN), D(double.NaN)));
        Assert.True(Torch.AllClose(D(1, 2), D(1 + 1e-9, 2)));
        Assert.False(Torch.AllClose(D(1, 2), D(1.001, 2)));
        Assert.True(Torch.AllClose(D(1, 2), D(1.001, 2), rtol: 1e-2));
        Assert.Equal(new[] { true, false, true, false },
            Torch.IsClose(D(1, double.NaN, double.PositiveInfinity, 1), D(1, double.NaN, double.PositiveInfinity, double.PositiveInfinity)).ToArray<bool>());
        Assert.Equal(new[] { true }, Torch.IsClose(D(double.NaN), D(double.NaN), equalNan: true).ToArray<bool>());
        Assert.Equal("Float did not match Double", Assert.Throws<ArgumentException>(() => Torch.IsClose(Torch.Ones(1), D(1))).Message);
        Assert.Equal(new[] { true, false }, Torch.IsClose(Torch.NewTensor(new[] { 3, 4 }), Torch.NewTensor(new[] { 3, 5 })).ToArray<bool>());
    }
}
