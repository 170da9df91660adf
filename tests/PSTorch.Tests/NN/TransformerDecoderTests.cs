using PSTorch;
using PSTorch.NN;
using Xunit;
using static PSTorch.Tests.NN.RecurrentReference;

namespace PSTorch.Tests.NN;

/// <summary>TransformerDecoderLayer's wiring, TransformerDecoder's copies, and Transformer's assembly, init, mask and errors.</summary>
[Collection("DefaultGenerator")]
public class TransformerDecoderTests
{
    const DType F64 = DType.Float64;

    /// <summary>PyTorch's TransformerDecoderLayer.forward written out from the layer's parts (dropout off).</summary>
    static Tensor Expected(TransformerDecoderLayer layer, Tensor x, Tensor memory, Tensor? tgtMask, Tensor? memoryPadding)
    {
        Tensor SelfAttention(Tensor t) => layer.SelfAttn.Forward(t, t, t, attnMask: tgtMask).AttnOutput;
        Tensor MemoryAttention(Tensor t) => layer.MultiheadAttn.Forward(t, memory, memory, memoryPadding).AttnOutput;
        Tensor FeedForward(Tensor t)
        {
            var hidden = Functional.Linear(t, layer.Linear1.Weight, layer.Linear1.Bias);
            hidden = layer.Activation == "gelu" ? Functional.Gelu(hidden) : hidden.Relu();
            return Functional.Linear(hidden, layer.Linear2.Weight, layer.Linear2.Bias);
        }
        Tensor Norm(LayerNorm n, Tensor t) => Functional.LayerNorm(t, [layer.DModel], n.Weight, n.Bias, layer.LayerNormEps);
        if (layer.NormFirst)
        {
            x = x + SelfAttention(Norm(layer.Norm1, x));
            x = x + MemoryAttention(Norm(layer.Norm2, x));
            return x + FeedForward(Norm(layer.Norm3, x));
        }
        x = Norm(layer.Norm1, x + SelfAttention(x));
        x = Norm(layer.Norm2, x + MemoryAttention(x));
        return Norm(layer.Norm3, x + FeedForward(x));
    }

    [Fact]
    public void SquareSubsequentMaskIsMinusInfinityAboveTheDiagonal()
    {
        var mask = Transformer.GenerateSquareSubsequentMask(3);
        Assert.Equal(DType.Float32, mask.DType);
        Assert.Equal(Device.Cpu, mask.Device);
        double inf = double.NegativeInfinity;
        Assert.Equal([0, inf, inf, 0, 0, inf, 0, 0, 0], Values(mask));
        var doubles = Transformer.GenerateSquareSubsequentMask(2, dtype: F64);
        Assert.Equal(F64, doubles.DType);
        Assert.Equal([0, inf, 0, 0], doubles.ToArray<double>());
    }

    [Theory]
    [InlineData("relu", false, false)]
    [InlineData("gelu", true, false)]
    [InlineData("relu", true, true)]
    [InlineData("gelu", false, true)]
    public void DecoderLayerFollowsPyTorchsForward(string activation, bool normFirst, bool batchFirst)
    {
        Torch.ManualSeed(11);
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 6, activation: activation, batchFirst: batchFirst, normFirst: normFirst, dtype: F64);
        foreach (var n in new[] { layer.Norm1, layer.Norm2, layer.Norm3 })
        {
            Init.Normal_(n.Weight!);
            Init.Normal_(n.Bias!);
        }
        foreach (var attention in new[] { layer.SelfAttn, layer.MultiheadAttn }) Init.Normal_(attention.InProjBias!);
        layer.Eval();
        var tgt = Torch.Randn([3, 2, 4], F64);
        var memory = Torch.Randn([5, 2, 4], F64);
        var causal = Transformer.GenerateSquareSubsequentMask(3, dtype: F64);
        var memoryPadding = Torch.NewTensor(new[,] { { false, false, false, true, true }, { false, false, false, false, false } });
        var (t, m) = batchFirst ? (tgt.Transpose(0, 1), memory.Transpose(0, 1)) : (tgt, memory);
        Close(Expected(layer, t, m, causal, memoryPadding), layer.Call(t, m, causal, memoryKeyPaddingMask: memoryPadding, tgtIsCausal: true));
        Close(Expected(layer, t, m, null, null), layer.Call(t, m));
    }

    [Fact]
    public void CausalTargetMaskHidesLaterTargetPositions()
    {
        Torch.ManualSeed(12);
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 6, dtype: F64);
        layer.Eval();
        var memory = Torch.Randn([5, 1, 4], F64);
        var tgt = Torch.Randn([3, 1, 4], F64);
        var changed = tgt.Clone();
        changed.Index(2).CopyFrom(Torch.Randn([1, 4], F64));
        var mask = Transformer.GenerateSquareSubsequentMask(3, dtype: F64);
        var (before, after) = (layer.Call(tgt, memory, mask), layer.Call(changed, memory, mask));
        Close(before.Narrow(0, 0, 2), after.Narrow(0, 0, 2));
        Assert.NotEqual(Values(before.Index(2)), Values(after.Index(2)));
    }

    [Fact]
    public void DecoderLayerDropoutActsOnlyInTraining()
    {
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 6, dropout: 0.5);
        var (tgt, memory) = (Torch.Randn(3, 2, 4), Torch.Randn(4, 2, 4));
        Assert.NotEqual(layer.Call(tgt, memory).ToArray<float>(), layer.Call(tgt, memory).ToArray<float>());
        layer.Eval();
        Assert.Equal(layer.Call(tgt, memory).ToArray<float>(), layer.Call(tgt, memory).ToArray<float>());
    }

    [Fact]
    public void GradCheck_DecoderLayer()
    {
        Torch.ManualSeed(13);
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 5, dropout: 0, activation: "gelu", dtype: F64);
        var tgt = Torch.Randn([3, 2, 4], F64, requiresGrad: true);
        var memory = Torch.Randn([4, 2, 4], F64, requiresGrad: true);
        var mask = Transformer.GenerateSquareSubsequentMask(3, dtype: F64);
        Assert.True(Torch.GradCheck(t => layer.Forward(t[0], t[1], mask, tgtIsCausal: true),
            [tgt, memory, layer.MultiheadAttn.InProjWeight!, layer.Linear2.Weight, layer.Norm3.Weight!]));
    }

    [Fact]
    public void DecoderStacksCopiesAndEndsWithItsNorm()
    {
        Torch.ManualSeed(14);
        var layer = new TransformerDecoderLayer(4, 2, dimFeedforward: 6, dtype: F64);
        var decoder = new TransformerDecoder(layer, 2, new LayerNorm(4, dtype: F64));
        Assert.Equal(Values(layer.MultiheadAttn.InProjWeight!), Values(decoder.StateDict()["layers.1.multihead_attn.in_proj_weight"]));
        Assert.NotSame(layer, decoder.Layers[0]);
        Assert.Equal(2 * 18 + 2, decoder.StateDict().Count);

        decoder.Eval();
        var first = (TransformerDecoderLayer)decoder.Layers[0];
        var second = (TransformerDecoderLayer)decoder.Layers[1];
        Init.Normal_(second.Linear2.Weight);
        var tgt = Torch.Randn([3, 2, 4], F64);
        var memory = Torch.Randn([5, 2, 4], F64);
        var mask = Transformer.GenerateSquareSubsequentMask(3, dtype: F64);
        var padding = Torch.NewTensor(new[,] { { false, true, true }, { false, false, false } });
        var expected = decoder.Norm!.Forward(second.Forward(first.Forward(tgt, memory, mask, null, padding), memory, mask, null, padding));
        Close(expected, decoder.Call(tgt, memory, mask, tgtKeyPaddingMask: padding));
    }

    [Fact]
    public void TransformerStateDictKeysArePyTorchs()
    {
        var model = new Transformer(8, 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16);
        string[] Attention(string prefix) =>
            [$"{prefix}.in_proj_weight", $"{prefix}.in_proj_bias", $"{prefix}.out_proj.weight", $"{prefix}.out_proj.bias"];
        string[] Pair(string prefix) => [$"{prefix}.weight", $"{prefix}.bias"];
        string[] expected =
        [
            .. Attention("encoder.layers.0.self_attn"), .. Pair("encoder.layers.0.linear1"), .. Pair("encoder.layers.0.linear2"),
            .. Pair("encoder.layers.0.norm1"), .. Pair("encoder.layers.0.norm2"), .. Pair("encoder.norm"),
            .. Attention("decoder.layers.0.self_attn"), .. Attention("decoder.layers.0.multihead_attn"),
            .. Pair("decoder.layers.0.linear1"), .. Pair("decoder.layers.0.linear2"),
            .. Pair("decoder.layers.0.norm1"), .. Pair("decoder.layers.0.norm2"), .. Pair("decoder.layers.0.norm3"), .. Pair("decoder.norm"),
        ];
        Assert.Equal(expected, model.StateDict().Keys.ToArray());
        Assert.Equal([16L, 8], model.StateDict()["decoder.layers.0.linear1.weight"].Shape);
    }

    [Fact]
    public void TransformerRedrawsEveryMatrixXavierUniform()
    {
        Torch.ManualSeed(15);
        var model = new Transformer(4, 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 64, dtype: F64);
        Torch.ManualSeed(15);
        var encoder = new TransformerEncoder(new TransformerEncoderLayer(4, 2, 64, dtype: F64), 1, new LayerNorm(4, dtype: F64));
        var decoder = new TransformerDecoder(new TransformerDecoderLayer(4, 2, 64, dtype: F64), 2, new LayerNorm(4, dtype: F64));
        foreach (var p in encoder.Parameters().Concat(decoder.Parameters()))
            if (p.NDim > 1) Init.XavierUniform_(p);
        var expected = encoder.StateDict().Select(kv => ("encoder." + kv.Key, kv.Value)).Concat(decoder.StateDict().Select(kv => ("decoder." + kv.Key, kv.Value)));
        foreach (var (name, value) in expected) Assert.Equal(Values(value), Values(model.StateDict()[name]));

        // Linear's own init bounds linear2.weight [4, 64] by 1/sqrt(64); xavier's bound sqrt(6 / 68) is well above it.
        var linear2 = Values(model.StateDict()["decoder.layers.1.linear2.weight"]);
        Assert.Contains(linear2, v => Math.Abs(v) > 0.125);
        Assert.All(linear2, v => Assert.True(Math.Abs(v) <= Math.Sqrt(6.0 / 68)));
    }

    [Fact]
    public void TransformerRunsEncoderThenDecoderBatchFirstOrNot()
    {
        Torch.ManualSeed(16);
        var model = new Transformer(8, 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true, dtype: F64);
        var sequenceFirst = new Transformer(8, 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, dtype: F64);
        sequenceFirst.LoadStateDict(model.StateDict());
        model.Eval();
        sequenceFirst.Eval();
        var src = Torch.Randn([2, 5, 8], F64);
        var tgt = Torch.Randn([2, 3, 8], F64);
        var tgtMask = Transformer.GenerateSquareSubsequentMask(3, dtype: F64);
        var srcPadding = Torch.NewTensor(new[,] { { false, false, false, false, true }, { false, false, false, false, false } });

        var output = model.Call(src, tgt, tgtMask: tgtMask, srcKeyPaddingMask: srcPadding, memoryKeyPaddingMask: srcPadding);
        Assert.Equal([2L, 3, 8], output.Shape);
        var memory = model.Encoder.Forward(src, null, srcPadding);
        Close(model.Decoder.Forward(tgt, memory, tgtMask, memoryKeyPaddingMask: srcPadding), output);
        Close(sequenceFirst.Call(src.Transpose(0, 1), tgt.Transpose(0, 1), tgtMask: tgtMask, srcKeyPaddingMask: srcPadding, memoryKeyPaddingMask: srcPadding),
            output.Transpose(0, 1));
    }

    [Fact]
    public void ErrorsArePyTorchs()
    {
        var model = new Transformer(8, 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16);
        Assert.Equal("the batch number of src and tgt must be equal",
            Assert.Throws<ArgumentException>(() => model.Call(Torch.Randn(5, 2, 8), Torch.Randn(3, 3, 8))).Message);
        Assert.Equal("the feature number of src and tgt must be equal to d_model",
            Assert.Throws<ArgumentException>(() => model.Call(Torch.Randn(5, 2, 8), Torch.Randn(3, 2, 6))).Message);
        Assert.Equal("the feature number of src and tgt must be equal to d_model",
            Assert.Throws<ArgumentException>(() => model.Call(Torch.Randn(5, 2, 4), Torch.Randn(3, 2, 8))).Message);
        var batchFirst = new Transformer(8, 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true);
        Assert.Equal("the batch number of src and tgt must be equal",
            Assert.Throws<ArgumentException>(() => batchFirst.Call(Torch.Randn(2, 5, 8), Torch.Randn(3, 5, 8))).Message);
        Assert.Equal("activation should be relu/gelu, not tanh",
            Assert.Throws<ArgumentException>(() => new TransformerDecoderLayer(8, 2, activation: "tanh")).Message);
        Assert.Equal("TransformerDecoderLayer.forward() missing 1 required positional argument: 'memory'",
            Assert.Throws<ArgumentException>(() => new TransformerDecoderLayer(8, 2).Call(Torch.Randn(3, 2, 8))).Message);
    }
}
