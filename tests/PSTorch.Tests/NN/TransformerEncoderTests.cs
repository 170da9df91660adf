using PSTorch;
using PSTorch.NN;
using Xunit;
using static PSTorch.Tests.NN.RecurrentReference;

namespace PSTorch.Tests.NN;

/// <summary>TransformerEncoderLayer's wiring (residuals, post- or pre-norm, activation) and TransformerEncoder's copies, names and masks.</summary>
[Collection("DefaultGenerator")]
public class TransformerEncoderTests
{
    const DType F64 = DType.Float64;

    /// <summary>PyTorch's TransformerEncoderLayer.forward written out from the layer's parts (dropout off).</summary>
    static Tensor Expected(TransformerEncoderLayer layer, Tensor x, Tensor? mask, Tensor? padding)
    {
        Tensor Attention(Tensor t) => layer.SelfAttn.Forward(t, t, t, padding, attnMask: mask).AttnOutput;
        Tensor FeedForward(Tensor t)
        {
            var hidden = Functional.Linear(t, layer.Linear1.Weight, layer.Linear1.Bias);
            hidden = layer.Activation == "gelu" ? Functional.Gelu(hidden) : hidden.Relu();
            return Functional.Linear(hidden, layer.Linear2.Weight, layer.Linear2.Bias);
        }
        Tensor Norm(LayerNorm n, Tensor t) => Functional.LayerNorm(t, [layer.DModel], n.Weight, n.Bias, layer.LayerNormEps);
        if (layer.NormFirst)
        {
            x = x + Attention(Norm(layer.Norm1, x));
            return x + FeedForward(Norm(layer.Norm2, x));
        }
        x = Norm(layer.Norm1, x + Attention(x));
        return Norm(layer.Norm2, x + FeedForward(x));
    }

    [Theory]
    [InlineData("relu", false, false)]
    [InlineData("gelu", true, false)]
    [InlineData("relu", true, true)]
    public void EncoderLayerFollowsPyTorchsForward(string activation, bool normFirst, bool batchFirst)
    {
        Torch.ManualSeed(1);
        var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 6, activation: activation, batchFirst: batchFirst, normFirst: normFirst, dtype: F64);
        foreach (var n in new[] { layer.Norm1, layer.Norm2 })
        {
            Init.Normal_(n.Weight!);
            Init.Normal_(n.Bias!);
        }
        layer.Eval();
        var x = Torch.Randn([3, 2, 4], F64);
        var mask = Functional.CausalMask(3, 3, Device.Cpu).LogicalNot();
        var padding = Torch.NewTensor(new[,] { { false, false, true }, { false, false, false } });
        var input = batchFirst ? x.Transpose(0, 1) : x;
        Close(Expected(layer, input, mask, padding), layer.Call(input, mask, padding));
        Close(Expected(layer, input, null, null), layer.Call(input));
    }

    [Fact]
    public void EncoderLayerDropoutActsOnlyInTraining()
    {
        var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 6, dropout: 0.5);
        var x = Torch.Randn(3, 2, 4);
        Assert.NotEqual(layer.Call(x).ToArray<float>(), layer.Call(x).ToArray<float>());
        layer.Eval();
        Assert.Equal(layer.Call(x).ToArray<float>(), layer.Call(x).ToArray<float>());
    }

    [Fact]
    public void GradCheck_EncoderLayer()
    {
        Torch.ManualSeed(2);
        var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 5, dropout: 0, activation: "gelu", normFirst: true, dtype: F64);
        var x = Torch.Randn([3, 2, 4], F64, requiresGrad: true);
        var mask = Functional.CausalMask(3, 3, Device.Cpu).LogicalNot();
        Assert.True(Torch.GradCheck(t => layer.Forward(t[0], mask, isCausal: true), [x, layer.Linear1.Weight, layer.SelfAttn.InProjWeight!]));
    }

    [Fact]
    public void EncoderStacksCopiesWithPyTorchsNames()
    {
        Torch.ManualSeed(3);
        var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 6, dtype: F64);
        var encoder = new TransformerEncoder(layer, 2, new LayerNorm(4, dtype: F64));
        var keys = encoder.StateDict().Keys.ToArray();
        Assert.Equal(
        [
            "layers.0.self_attn.in_proj_weight", "layers.0.self_attn.in_proj_bias", "layers.0.self_attn.out_proj.weight", "layers.0.self_attn.out_proj.bias",
            "layers.0.linear1.weight", "layers.0.linear1.bias", "layers.0.linear2.weight", "layers.0.linear2.bias",
            "layers.0.norm1.weight", "layers.0.norm1.bias", "layers.0.norm2.weight", "layers.0.norm2.bias",
        ], keys.Take(12));
        Assert.Equal(26, keys.Length);
        Assert.Equal(["norm.weight", "norm.bias"], keys[^2..]);
        Assert.Equal(Values(layer.Linear1.Weight), Values(encoder.StateDict()["layers.1.linear1.weight"]));
        Assert.NotSame(layer, encoder.Layers[0]);

        encoder.Eval();
        var first = (TransformerEncoderLayer)encoder.Layers[0];
        var second = (TransformerEncoderLayer)encoder.Layers[1];
        Init.Normal_(second.Linear2.Weight);
        var x = Torch.Randn([5, 2, 4], F64);
        var padding = Torch.NewTensor(new[,] { { false, false, false, true, true }, { false, false, false, false, false } });
        var expected = encoder.Norm!.Forward(second.Forward(first.Forward(x, null, padding), null, padding));
        Close(expected, encoder.Call(x, null, padding));
        Assert.Equal([5L, 2, 4], encoder.Forward(x).Shape);
    }

    [Fact]
    public void ReprAndErrorsArePyTorchs()
    {
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16);
        Assert.Equal(
            "TransformerEncoderLayer(\n" +
            "  (self_attn): MultiheadAttention(\n" +
            "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n" +
            "  )\n" +
            "  (linear1): Linear(in_features=8, out_features=16, bias=True)\n" +
            "  (dropout): Dropout(p=0.1, inplace=False)\n" +
            "  (linear2): Linear(in_features=16, out_features=8, bias=True)\n" +
            "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n" +
            "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n" +
            "  (dropout1): Dropout(p=0.1, inplace=False)\n" +
            "  (dropout2): Dropout(p=0.1, inplace=False)\n" +
            ")", layer.ToString());
        Assert.Equal("activation should be relu/gelu, not tanh", Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(8, 2, activation: "tanh")).Message);
    }
}
