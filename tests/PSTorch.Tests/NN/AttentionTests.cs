using PSTorch;
using PSTorch.NN;
using Xunit;
using static PSTorch.Tests.NN.RecurrentReference;

namespace PSTorch.Tests.NN;

/// <summary>scaled_dot_product_attention and MultiheadAttention against a scalar float64 reference of softmax(q k^T / sqrt(d) + mask) v.</summary>
public class AttentionTests
{
    const DType F64 = DType.Float64;

    /// <summary>
    /// Attention of q [B, L, E] over k [B, S, E], v [B, S, Ev] (flat), with an additive bias(b, i, j) (-inf masks out).
    /// Returns the output [B, L, Ev] and the weights [B, L, S].
    /// </summary>
    static (double[] Output, double[] Weights) ReferenceAttention(double[] q, double[] k, double[] v, int batch, int queries, int keys,
        double scale, Func<int, int, int, double>? bias = null)
    {
        int e = q.Length / (batch * queries), ev = v.Length / (batch * keys);
        var output = new double[batch * queries * ev];
        var weights = new double[batch * queries * keys];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < queries; i++)
            {
                var scores = new double[keys];
                for (int j = 0; j < keys; j++)
                {
                    double s = 0;
                    for (int d = 0; d < e; d++) s += q[(b * queries + i) * e + d] * k[(b * keys + j) * e + d];
                    scores[j] = s * scale + (bias?.Invoke(b, i, j) ?? 0);
                }
                double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < keys; j++)
                {
                    double w = Math.Exp(scores[j] - max) / sum;
                    weights[(b * queries + i) * keys + j] = w;
                    for (int d = 0; d < ev; d++) output[(b * queries + i) * ev + d] += w * v[(b * keys + j) * ev + d];
                }
            }
        return (output, weights);
    }

    [Fact]
    public void SdpaMatchesTheReference_NoMaskFloatMaskBoolMaskCausalAndScale()
    {
        Torch.ManualSeed(1);
        var q = Torch.Randn([2, 3, 4], F64);
        var k = Torch.Randn([2, 5, 4], F64);
        var v = Torch.Randn([2, 5, 6], F64);
        var floatMask = Torch.Randn([3, 5], F64);
        var boolMask = Torch.Rand([3, 5], F64) > 0.4;
        boolMask.Select(1, 0).Fill_(1);
        var fm = Values(floatMask);
        var bm = Values(boolMask.To(F64));
        double scale = 0.5;
        var (qs, ks, vs) = (Values(q), Values(k), Values(v));

        Close(ReferenceAttention(qs, ks, vs, 2, 3, 5, 1 / Math.Sqrt(4)).Output, Functional.ScaledDotProductAttention(q, k, v));
        Close(ReferenceAttention(qs, ks, vs, 2, 3, 5, 1 / Math.Sqrt(4), (b, i, j) => fm[i * 5 + j]).Output,
            Functional.ScaledDotProductAttention(q, k, v, floatMask));
        Close(ReferenceAttention(qs, ks, vs, 2, 3, 5, scale, (b, i, j) => bm[i * 5 + j] == 1 ? 0 : double.NegativeInfinity).Output,
            Functional.ScaledDotProductAttention(q, k, v, boolMask, scale: scale));
        Close(ReferenceAttention(qs, ks, vs, 2, 3, 5, 1 / Math.Sqrt(4), (b, i, j) => j <= i ? 0 : double.NegativeInfinity).Output,
            Functional.ScaledDotProductAttention(q, k, v, isCausal: true));
    }

    [Fact]
    public void SdpaBroadcastsBatchDimsAndTakesNonContiguousInputs()
    {
        Torch.ManualSeed(2);
        var q = Torch.Randn([2, 4, 3, 3], F64).Transpose(1, 2); // [2, 3 heads, 4, 3], non-contiguous
        var k = Torch.Randn([2, 3, 5, 3], F64);
        var v = Torch.Randn([1, 3, 5, 2], F64);
        var mask = Torch.Randn([4, 5], F64);
        var output = Functional.ScaledDotProductAttention(q, k, v, mask);
        Assert.Equal([2L, 3, 4, 2], output.Shape);
        var fm = Values(mask);
        var expected = ReferenceAttention(Values(q), Values(k), Values(v.Expand(2, 3, 5, 2)), 6, 4, 5, 1 / Math.Sqrt(3), (b, i, j) => fm[i * 5 + j]);
        Close(expected.Output, output);
    }

    [Fact]
    public void CausalAttentionIgnoresLaterPositions()
    {
        Torch.ManualSeed(3);
        var x = Torch.Randn([1, 5, 4], F64);
        var before = Functional.ScaledDotProductAttention(x, x, x, isCausal: true);
        var changed = x.Clone();
        changed.Select(1, 3).Fill_(7);
        var after = Functional.ScaledDotProductAttention(changed, changed, changed, isCausal: true);
        Close(Values(before.Narrow(1, 0, 3)), after.Narrow(1, 0, 3), 0);
        Assert.NotEqual(Values(before.Select(1, 3)), Values(after.Select(1, 3)));
        Assert.NotEqual(Values(before.Select(1, 4)), Values(after.Select(1, 4)));
        // the first position attends only to itself
        Close(Values(x.Select(1, 0)), before.Select(1, 0));
        var error = Assert.Throws<ArgumentException>(() => Functional.ScaledDotProductAttention(x, x, x, Torch.Zeros(5, 5), isCausal: true));
        Assert.Equal("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True", error.Message);
    }

    [Fact]
    public void GradCheck_Sdpa()
    {
        Torch.ManualSeed(4);
        var q = Torch.Randn([2, 3, 2], F64, requiresGrad: true);
        var k = Torch.Randn([2, 4, 2], F64, requiresGrad: true);
        var v = Torch.Randn([2, 4, 3], F64, requiresGrad: true);
        var mask = Torch.Randn([2, 3, 4], F64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], t[3]), [q, k, v, mask]));
        Assert.True(Torch.GradCheck(t => Functional.ScaledDotProductAttention(t[0], t[1], t[2], isCausal: true), [q, k, v]));
    }

    [Fact]
    public void SdpaDropoutZeroesWeightsOnlyWhenAsked()
    {
        var x = Torch.Randn(2, 6, 4);
        Assert.Equal(Functional.ScaledDotProductAttention(x, x, x).ToArray<float>(), Functional.ScaledDotProductAttention(x, x, x, dropoutP: 0).ToArray<float>());
        // p = 1 drops every weight
        Assert.All(Functional.ScaledDotProductAttention(x, x, x, dropoutP: 1).ToArray<float>(), v => Assert.Equal(0f, v));
    }

    /// <summary>MultiheadAttention from its parameters, time-major query [L, N, E], key/value [S, N, E]: output [L, N, E] and per-head weights [N, H, L, S].</summary>
    static (double[] Output, double[] Weights) ReferenceMha(MultiheadAttention mha, Tensor query, Tensor key, Tensor value, Func<int, int, int, int, double>? bias = null)
    {
        int e = (int)mha.EmbedDim, heads = (int)mha.NumHeads, hd = e / heads;
        int l = (int)query.Size(0), n = (int)query.Size(1), s = (int)key.Size(0);
        var w = Values(mha.InProjWeight!);
        var bIn = Values(mha.InProjBias!);
        var wOut = Values(mha.OutProj.Weight);
        var bOut = Values(mha.OutProj.Bias!);
        var (qv, kv, vv) = (Values(query), Values(key), Values(value));
        double[] Project(double[] x, int len, int which, int batch, int head)
        {
            var y = new double[len * hd];
            for (int t = 0; t < len; t++)
                for (int d = 0; d < hd; d++)
                {
                    int row = which * e + head * hd + d;
                    double acc = bIn[row];
                    for (int c = 0; c < e; c++) acc += w[row * e + c] * x[(t * n + batch) * e + c];
                    y[t * hd + d] = acc;
                }
            return y;
        }
        var concat = new double[l * n * e];
        var weights = new double[n * heads * l * s];
        for (int b = 0; b < n; b++)
            for (int h = 0; h < heads; h++)
            {
                var (o, wt) = ReferenceAttention(Project(qv, l, 0, b, h), Project(kv, s, 1, b, h), Project(vv, s, 2, b, h), 1, l, s,
                    1 / Math.Sqrt(hd), bias == null ? null : (_, i, j) => bias(b, h, i, j));
                for (int i = 0; i < l; i++)
                    for (int d = 0; d < hd; d++) concat[(i * n + b) * e + h * hd + d] = o[i * hd + d];
                wt.CopyTo(weights, (b * heads + h) * l * s);
            }
        var output = new double[l * n * e];
        for (int r = 0; r < l * n; r++)
            for (int j = 0; j < e; j++)
            {
                double acc = bOut[j];
                for (int c = 0; c < e; c++) acc += wOut[j * e + c] * concat[r * e + c];
                output[r * e + j] = acc;
            }
        return (output, weights);
    }

    static MultiheadAttention RandomizedMha(long embed, long heads, bool batchFirst = false)
    {
        var mha = new MultiheadAttention(embed, heads, batchFirst: batchFirst, dtype: F64);
        // PyTorch zeroes the biases; random ones check that they are added where they belong
        Init.Normal_(mha.InProjBias!);
        Init.Normal_(mha.OutProj.Bias!);
        return mha;
    }

    [Fact]
    public void MhaMatchesTheReference_WeightsPerHeadAndAveraged()
    {
        Torch.ManualSeed(5);
        var mha = RandomizedMha(6, 2);
        var query = Torch.Randn([3, 2, 6], F64);
        var key = Torch.Randn([4, 2, 6], F64);
        var value = Torch.Randn([4, 2, 6], F64);
        var expected = ReferenceMha(mha, query, key, value);
        var result = mha.Forward(query, key, value, averageAttnWeights: false);
        Close(expected.Output, result.AttnOutput);
        Assert.Equal([2L, 2, 3, 4], result.AttnWeights!.Shape);
        Close(expected.Weights, result.AttnWeights);
        var averaged = mha.Call(query, key, value);
        Assert.Equal([2L, 3, 4], averaged.AttnWeights!.Shape);
        Close(Values(result.AttnWeights.Mean(1)), averaged.AttnWeights, 1e-15);
        Assert.Null(mha.Forward(query, key, value, needWeights: false).AttnWeights);
    }

    [Fact]
    public void MhaMasks_KeyPaddingTrueAndAttnMaskTrueAreMaskedOut_FloatMasksAreAdded()
    {
        Torch.ManualSeed(6);
        var mha = RandomizedMha(4, 2);
        var x = Torch.Randn([3, 2, 4], F64);
        var padding = Torch.NewTensor(new[,] { { false, false, true }, { false, true, true } });
        var attnMask = Torch.NewTensor(new[,] { { false, true, false }, { false, false, false }, { false, false, true } });
        var floatMask = Torch.Randn([3, 3], F64);
        var fm = Values(floatMask);
        var pm = Values(padding.To(F64));
        var am = Values(attnMask.To(F64));
        double Inf(bool masked) => masked ? double.NegativeInfinity : 0;

        var expected = ReferenceMha(mha, x, x, x, (b, h, i, j) => Inf(pm[b * 3 + j] == 1) + Inf(am[i * 3 + j] == 1));
        var result = mha.Forward(x, x, x, padding, attnMask: attnMask, averageAttnWeights: false);
        Close(expected.Output, result.AttnOutput);
        Close(expected.Weights, result.AttnWeights!);
        Assert.Equal(0, result.AttnWeights!.Select(0, 1).Narrow(-1, 1, 2).Abs().Max().Item<double>());

        var withFloat = ReferenceMha(mha, x, x, x, (b, h, i, j) => fm[i * 3 + j] + Inf(pm[b * 3 + j] == 1));
        Close(withFloat.Output, mha.Forward(x, x, x, padding, attnMask: floatMask).AttnOutput);
        var perHead = floatMask.Unsqueeze(0).Expand(4, 3, 3);
        Close(withFloat.Output, mha.Forward(x, x, x, padding.To(F64).MaskedFill(padding, double.NegativeInfinity), attnMask: perHead).AttnOutput);
        var causal = mha.Forward(x, x, x, attnMask: Torch.NewTensor(new[,] { { false, true, true }, { false, false, true }, { false, false, false } }), isCausal: true);
        Assert.Equal(0, causal.AttnWeights!.Select(1, 0).Narrow(-1, 1, 2).Abs().Max().Item<double>());
    }

    [Fact]
    public void MhaBatchFirstAndUnbatched()
    {
        Torch.ManualSeed(7);
        var mha = RandomizedMha(4, 4, batchFirst: true);
        var x = Torch.Randn([2, 3, 4], F64);
        var y = Torch.Randn([2, 5, 4], F64);
        var result = mha.Call(x, y, y);
        Assert.Equal([2L, 3, 4], result.AttnOutput.Shape);
        Assert.Equal([2L, 3, 5], result.AttnWeights!.Shape);
        Close(ReferenceMha(mha, x.Transpose(0, 1), y.Transpose(0, 1), y.Transpose(0, 1)).Output, result.AttnOutput.Transpose(0, 1));
        var single = mha.Call(x.Select(0, 1), y.Select(0, 1), y.Select(0, 1));
        Assert.Equal([3L, 4], single.AttnOutput.Shape);
        Assert.Equal([3L, 5], single.AttnWeights!.Shape);
        Close(Values(result.AttnOutput.Select(0, 1)), single.AttnOutput, 1e-14);
        Assert.Equal([2L, 3, 4], mha.Forward(x).Shape);
    }

    [Fact]
    public void GradCheck_Mha()
    {
        Torch.ManualSeed(8);
        var mha = RandomizedMha(4, 2);
        var query = Torch.Randn([2, 2, 4], F64, requiresGrad: true);
        var key = Torch.Randn([3, 2, 4], F64, requiresGrad: true);
        var value = Torch.Randn([3, 2, 4], F64, requiresGrad: true);
        var padding = Torch.NewTensor(new[,] { { false, false, true }, { false, false, false } });
        Assert.True(Torch.GradCheck(t =>
        {
            var r = mha.Forward(t[0], t[1], t[2], padding);
            return Torch.Cat([r.AttnOutput.Flatten(0, -1), r.AttnWeights!.Flatten(0, -1)]);
        }, [query, key, value, mha.InProjWeight!, mha.InProjBias!, mha.OutProj.Weight]));
    }

    [Fact]
    public void MhaParametersAreNamedAndInitialisedAsPyTorchs()
    {
        var mha = new MultiheadAttention(8, 2);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], mha.StateDict().Keys);
        Assert.Equal([24L, 8], mha.InProjWeight!.Shape);
        Assert.All(mha.InProjBias!.ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(mha.OutProj.Bias!.ToArray<float>(), v => Assert.Equal(0f, v));
        double xavier = Math.Sqrt(6.0 / (24 + 8));
        Assert.All(mha.InProjWeight.ToArray<float>(), v => Assert.InRange(v, -xavier, xavier));
        Assert.Equal("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)", mha.ToString());

        var cross = new MultiheadAttention(8, 2, kdim: 3, vdim: 5);
        Assert.Equal(["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], cross.StateDict().Keys);
        Assert.Equal([8L, 3], cross.KProjWeight!.Shape);
        Assert.Equal([8L, 5], cross.VProjWeight!.Shape);
        var r = cross.Call(Torch.Randn(2, 1, 8), Torch.Randn(4, 1, 3), Torch.Randn(4, 1, 5));
        Assert.Equal([2L, 1, 8], r.AttnOutput.Shape);
        Assert.Equal([1L, 2, 4], r.AttnWeights!.Shape);
        Assert.Equal(["out_proj.weight"], new MultiheadAttention(8, 2, bias: false, kdim: 4).StateDict().Keys.Where(k => k.StartsWith("out")));
    }

    [Fact]
    public void MhaErrorsArePyTorchs()
    {
        string Message(Action a) => Assert.Throws<ArgumentException>(a).Message;
        Assert.Equal("embed_dim must be divisible by num_heads", Message(() => new MultiheadAttention(6, 4)));
        var mha = new MultiheadAttention(4, 2);
        Assert.Equal("was expecting embedding dimension of 4, but got 3", Message(() => mha.Call(Torch.Randn(2, 1, 3))));
        Assert.Equal("query should be unbatched 2D or batched 3D tensor but received 4-D query tensor", Message(() => mha.Call(Torch.Randn(1, 2, 1, 4))));
        Assert.Equal("Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.",
            Message(() => mha.Forward(Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), isCausal: true)));
        Assert.Equal("The shape of the 2D attn_mask is torch.Size([2, 3]), but should be (2, 2).",
            Message(() => mha.Forward(Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), attnMask: Torch.Zeros(2, 3))));
        Assert.Equal("expecting key_padding_mask shape of (1, 2), but got torch.Size([1, 3])",
            Message(() => mha.Forward(Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), Torch.Randn(2, 1, 4), Torch.Zeros(1, 3))));
    }
}
