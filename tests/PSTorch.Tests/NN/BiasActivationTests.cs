using PSTorch;
using PSTorch.NN;
using PSTorch.Ops;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// The fused bias add + relu/GELU op on the CPU: values and gradients against act(pre + bias) computed by the separate
/// ops (bit for bit: the CPU kernel rounds the sum and applies the same activation functions), in the Linear layout
/// (bias along the last dim) and the conv layout (bias along dim 1 with positions after it), and the layers' fused forward.
/// </summary>
public class BiasActivationTests
{
    // xunit's theory methods are public, the op's enum internal: theories name the activation
    internal static BiasActivationKind Kind(string activation) => activation switch
    {
        "relu" => BiasActivationKind.Relu,
        "gelu" => BiasActivationKind.Gelu,
        "tanh" => BiasActivationKind.GeluTanh,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    static double[] Values(Tensor t) => t.Detach().To(DType.Float64).Contiguous().ToArray<double>();

    /// <summary>act(pre + bias) through the unfused ops, bias broadcast along <paramref name="biasDim"/>.</summary>
    internal static Tensor Composed(Tensor pre, Tensor? bias, int biasDim, BiasActivationKind kind)
    {
        var sum = pre;
        if (bias != null)
        {
            var shape = Enumerable.Repeat(1L, pre.NDim - biasDim).ToArray();
            shape[0] = bias.Size(0);
            sum = pre + bias.View(shape);
        }
        return kind switch
        {
            BiasActivationKind.Relu => sum.Relu(),
            BiasActivationKind.Gelu => Functional.Gelu(sum),
            _ => Functional.Gelu(sum, "tanh"),
        };
    }

    public static TheoryData<string, DType, long[], int> Layouts()
    {
        var data = new TheoryData<string, DType, long[], int>();
        foreach (var kind in new[] { "relu", "gelu", "tanh" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            {
                data.Add(kind, dtype, [6, 37], 1);          // Linear: [N, F]
                data.Add(kind, dtype, [2, 3, 19], 2);       // Linear over [*, F]
                data.Add(kind, dtype, [3, 5, 7, 6], 1);     // Conv2d: [N, C, H, W]
                data.Add(kind, dtype, [2, 4, 9], 1);        // Conv1d
                data.Add(kind, dtype, [4, 200, 400], 1);    // big enough to split over the cores, rows across the split
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void ValuesAndGradientsEqualTheComposition(string activation, DType dtype, long[] shape, int biasDim)
    {
        var kind = Kind(activation);
        var generator = new Generator(3);
        var pre = (Torch.Randn(shape, dtype, generator: generator) * 2).RequiresGrad_();
        var bias = Torch.Randn([shape[biasDim]], dtype, generator: generator).RequiresGrad_();
        var y = BiasActivation.Apply(pre, bias, biasDim, kind);
        var preRef = pre.Detach().RequiresGrad_();
        var biasRef = bias.Detach().RequiresGrad_();
        var expected = Composed(preRef, biasRef, biasDim, kind);
        Assert.Equal(dtype, y.DType);
        Assert.Equal(shape, y.Shape);
        Assert.Equal(Values(expected), Values(y));

        var g = Torch.Randn(shape, dtype, generator: generator);
        y.Backward(g);
        expected.Backward(g);
        Assert.Equal(Values(preRef.Grad!), Values(pre.Grad!));
        // the bias gradient's sum runs in another order than SumToSize's
        Assert.True(bias.Grad!.AllClose(biasRef.Grad!, dtype == DType.Float32 ? 1e-5 : 1e-12, dtype == DType.Float32 ? 1e-4 : 1e-10),
            $"bias gradient differs: {bias.Grad} vs {biasRef.Grad}");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    [InlineData("tanh")]
    public void WithoutBiasItIsTheActivation(string activation)
    {
        var kind = Kind(activation);
        var pre = Torch.Randn([3, 4, 5], DType.Float64, generator: new Generator(4)).RequiresGrad_();
        var y = BiasActivation.Apply(pre, null, 1, kind);
        Assert.Equal(Values(Composed(pre, null, 1, kind)), Values(y));
        Assert.Single(y.GradFn!.NextFunctions);
        Assert.True(Torch.GradCheck(t => BiasActivation.Apply(t[0], null, 1, kind), [pre]));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    [InlineData("tanh")]
    public void NonContiguousPreActivations(string activation)
    {
        var kind = Kind(activation);
        var generator = new Generator(5);
        // Linear layout from a transpose, conv layout from a permute
        var linear = Torch.Randn([9, 6], DType.Float32, generator: generator).T();
        var conv = Torch.Randn([4, 5, 2, 3], DType.Float32, generator: generator).Permute(2, 3, 0, 1);
        Assert.False(linear.IsContiguous());
        Assert.False(conv.IsContiguous());
        var bias6 = Torch.Randn([9], DType.Float32, generator: generator);
        var bias3 = Torch.Randn([3], DType.Float32, generator: generator);
        Assert.Equal(Values(Composed(linear, bias6, 1, kind)), Values(BiasActivation.Apply(linear, bias6, -1, kind)));
        Assert.Equal(Values(Composed(conv, bias3, 1, kind)), Values(BiasActivation.Apply(conv, bias3, 1, kind)));
        var strided = Torch.Randn([4, 12], DType.Float32, generator: generator).Index(TensorIndex.Slice(), TensorIndex.Slice(0, null, 2));
        Assert.Equal(Values(Composed(strided, bias6[..6], 1, kind)), Values(BiasActivation.Apply(strided, bias6[..6], 1, kind)));
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    [InlineData("tanh")]
    public void GradCheckInFloat64(string activation)
    {
        var kind = Kind(activation);
        var generator = new Generator(6);
        var linearPre = Torch.Randn([4, 5], DType.Float64, generator: generator).RequiresGrad_();
        var linearBias = Torch.Randn([5], DType.Float64, generator: generator).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => BiasActivation.Apply(t[0], t[1], -1, kind), [linearPre, linearBias]));
        var convPre = Torch.Randn([2, 3, 2, 3], DType.Float64, generator: generator).RequiresGrad_();
        var convBias = Torch.Randn([3], DType.Float64, generator: generator).RequiresGrad_();
        Assert.True(Torch.GradCheck(t => BiasActivation.Apply(t[0], t[1], 1, kind), [convPre, convBias]));
        // the bias alone, and the pre-activation alone
        Assert.True(Torch.GradCheck(t => BiasActivation.Apply(convPre.Detach(), t[0], 1, kind), [convBias]));
        Assert.True(Torch.GradCheck(t => BiasActivation.Apply(t[0], convBias.Detach(), 1, kind), [convPre]));
    }

    [Fact]
    public void GradFnIsTheActivationsWithThePreActivationAndTheBiasAsInputs()
    {
        var pre = Torch.Randn([2, 3], requiresGrad: true);
        var bias = Torch.Randn([3], requiresGrad: true);
        var relu = BiasActivation.Apply(pre, bias, 1, BiasActivationKind.Relu);
        Assert.Equal("ReluBackward0", relu.GradFn!.Name);
        Assert.Equal(["AccumulateGrad", "AccumulateGrad"], relu.GradFn.NextFunctions.Select(f => f.Function!.Name));
        Assert.Equal("GeluBackward0", BiasActivation.Apply(pre, bias, 1, BiasActivationKind.Gelu).GradFn!.Name);
        Assert.Equal("GeluBackward0", BiasActivation.Apply(pre, bias, 1, BiasActivationKind.GeluTanh).GradFn!.Name);
        using (Torch.NoGrad()) Assert.Null(BiasActivation.Apply(pre, bias, 1, BiasActivationKind.Relu).GradFn);
    }

    [Fact]
    public void EmptyTensorsGiveAZeroBiasGradient()
    {
        var pre = Torch.Empty([0, 4], requiresGrad: true);
        var bias = Torch.Ones([4], requiresGrad: true);
        var y = BiasActivation.Apply(pre, bias, 1, BiasActivationKind.Gelu);
        Assert.Equal([0L, 4L], y.Shape);
        y.Sum().Backward();
        Assert.Equal([0.0, 0, 0, 0], Values(bias.Grad!));
        Assert.Equal([0L, 4L], pre.Grad!.Shape);
    }

    [Fact]
    public void WrongBiasesAndDTypesAreRefused()
    {
        var pre = Torch.Randn([2, 3, 4]);
        var e = Assert.Throws<ArgumentException>(() => BiasActivation.Apply(pre, Torch.Randn([4]), 1, BiasActivationKind.Relu));
        Assert.Equal("bias_activation: expected bias to be 1-dimensional with 3 elements (dim 1 of the input of size [2, 3, 4]), but got bias of size [4]", e.Message);
        Assert.Throws<ArgumentException>(() => BiasActivation.Apply(pre, Torch.Randn([1, 3]), 1, BiasActivationKind.Gelu));
        Assert.Contains("expected bias of the input's dtype and device",
            Assert.Throws<InvalidOperationException>(() => BiasActivation.Apply(pre, Torch.Randn([4], DType.Float64), -1, BiasActivationKind.Relu)).Message);
        Assert.Throws<NotSupportedException>(() => BiasActivation.Apply(Torch.Ones([2, 3], DType.Int64), null, 1, BiasActivationKind.Relu));
        Assert.Throws<IndexOutOfRangeException>(() => BiasActivation.Apply(pre, Torch.Randn([3]), 3, BiasActivationKind.Relu));
    }

    public static TheoryData<string, string> Layers() => new()
    {
        { "linear", "relu" }, { "linear3d", "tanh" }, { "linearNoBias", "gelu" },
        { "conv1d", "gelu" }, { "conv1dUnbatched", "relu" }, { "conv2d", "relu" }, { "conv2dUnbatched", "tanh" },
    };

    /// <summary>The layers' fused forward (what Sequential runs on CUDA) against the layer then the activation.</summary>
    [Theory]
    [MemberData(nameof(Layers))]
    public void LayersForwardActivatedMatchesTheLayerThenTheActivation(string layer, string activation)
    {
        var kind = Kind(activation);
        Torch.ManualSeed(8);
        var generator = new Generator(9);
        (Module module, Tensor x, Func<Tensor, Tensor> fused) = layer switch
        {
            "linear" => Make(new Linear(5, 7, dtype: DType.Float64), [4, 5], (m, t) => ((Linear)m).ForwardActivated(t, kind)),
            "linear3d" => Make(new Linear(5, 7, dtype: DType.Float64), [2, 3, 5], (m, t) => ((Linear)m).ForwardActivated(t, kind)),
            "linearNoBias" => Make(new Linear(5, 7, bias: false, dtype: DType.Float64), [4, 5], (m, t) => ((Linear)m).ForwardActivated(t, kind)),
            "conv1d" => Make(new Conv1d(2, 4, 3, padding: 1L, dtype: DType.Float64), [3, 2, 8], (m, t) => ((Conv1d)m).ForwardActivated(t, kind)),
            "conv1dUnbatched" => Make(new Conv1d(2, 4, 3, dtype: DType.Float64), [2, 8], (m, t) => ((Conv1d)m).ForwardActivated(t, kind)),
            "conv2d" => Make(new Conv2d(2, 4, 3, padding: 1L, groups: 2, dtype: DType.Float64), [3, 2, 5, 6], (m, t) => ((Conv2d)m).ForwardActivated(t, kind)),
            _ => Make(new Conv2d(2, 4, 3, dtype: DType.Float64), [2, 5, 6], (m, t) => ((Conv2d)m).ForwardActivated(t, kind)),
        };

        (Module, Tensor, Func<Tensor, Tensor>) Make(Module m, long[] shape, Func<Module, Tensor, Tensor> f) =>
            (m, Torch.Randn(shape, DType.Float64, generator: generator).RequiresGrad_(), t => f(m, t));

        var y = fused(x);
        Assert.Equal(kind == BiasActivationKind.Relu ? "ReluBackward0" : "GeluBackward0", y.GradFn!.Name);
        var g = Torch.Randn(y.Shape, DType.Float64, generator: generator);
        y.Backward(g);
        var fusedGrads = module.Parameters().Select(p => p.Grad!.Clone()).Append(x.Grad!.Clone()).ToArray();
        module.ZeroGrad();
        x.Grad = null;
        var expected = Composed(module.Call(x), null, 0, kind);
        Assert.True(y.AllClose(expected, 1e-12, 1e-12));
        expected.Backward(g);
        var grads = module.Parameters().Select(p => p.Grad!).Append(x.Grad!).ToArray();
        for (int i = 0; i < grads.Length; i++) Assert.True(fusedGrads[i].AllClose(grads[i], 1e-10, 1e-12), $"gradient {i} differs");
        Assert.True(Torch.GradCheck(t => fused(t[0]), [x]));
    }

    [Fact]
    public void SequentialOnTheCpuDoesNotFuse()
    {
        Torch.ManualSeed(10);
        // unfused, the activation's input is the layer's own node (with the bias); fused it would be the bias-free
        // product and the bias, two inputs
        var linear = new Sequential(new Linear(3, 4), new ReLU()).Call(Torch.Randn([2, 3]));
        Assert.Equal("ReluBackward0", linear.GradFn!.Name);
        Assert.Equal("AddmmBackward0", Assert.Single(linear.GradFn.NextFunctions).Function!.Name);
        var conv = new Sequential(new Conv1d(1, 2, 2), new GELU()).Call(Torch.Randn([2, 1, 5]));
        Assert.Equal("GeluBackward0", conv.GradFn!.Name);
        Assert.Equal("ConvolutionBackward0", Assert.Single(conv.GradFn.NextFunctions).Function!.Name);
    }
}
