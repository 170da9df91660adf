using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>
/// A scalar float64 reference of PyTorch's recurrent equations (torch.nn.RNN/LSTM/GRU docs), element by element
/// from the module's named parameters, to check the tensor implementation against.
/// </summary>
internal static class RecurrentReference
{
    public static double[] Values(Tensor t) => t.Contiguous().To(DType.Float64).ToArray<double>();

    /// <summary>Every element within <paramref name="tolerance"/> of the float64 reference.</summary>
    public static void Close(double[] expected, Tensor actual, double tolerance = 1e-12)
    {
        var got = Values(actual);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= tolerance, $"element {i}: expected {expected[i]:G17}, got {got[i]:G17}");
    }

    /// <summary>Same shape, and every element within <paramref name="tolerance"/> of <paramref name="expected"/>'s.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Close(Values(expected), actual, tolerance);
    }

    static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>W x (+ b) for W [rows, cols] row-major.</summary>
    static double[] Affine(double[] w, double[]? b, double[] x)
    {
        int cols = x.Length, rows = w.Length / cols;
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = b?[r] ?? 0;
            for (int c = 0; c < cols; c++) s += w[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    /// <summary>One step of one sample: the next (h, c) from weights wih, whh, bih, bhh (and whr for a projected LSTM).</summary>
    public static (double[] H, double[]? C) Step(string mode, double[] x, double[] h, double[]? c,
        double[] wih, double[] whh, double[]? bih, double[]? bhh, double[]? whr = null)
    {
        var gi = Affine(wih, bih, x);
        var gh = Affine(whh, bhh, h);
        switch (mode)
        {
            case "tanh" or "relu":
                return (gi.Select((v, j) => mode == "tanh" ? Math.Tanh(v + gh[j]) : Math.Max(0, v + gh[j])).ToArray(), null);
            case "lstm":
            {
                int n = gi.Length / 4;
                var cNext = new double[n];
                var hNext = new double[n];
                for (int j = 0; j < n; j++)
                {
                    double i = Sigmoid(gi[j] + gh[j]), f = Sigmoid(gi[n + j] + gh[n + j]);
                    double g = Math.Tanh(gi[2 * n + j] + gh[2 * n + j]), o = Sigmoid(gi[3 * n + j] + gh[3 * n + j]);
                    cNext[j] = f * c![j] + i * g;
                    hNext[j] = o * Math.Tanh(cNext[j]);
                }
                return (whr != null ? Affine(whr, null, hNext) : hNext, cNext);
            }
            case "gru":
            {
                int n = gi.Length / 3;
                var hNext = new double[n];
                for (int j = 0; j < n; j++)
                {
                    double r = Sigmoid(gi[j] + gh[j]), z = Sigmoid(gi[n + j] + gh[n + j]);
                    double candidate = Math.Tanh(gi[2 * n + j] + r * gh[2 * n + j]);
                    hNext[j] = (1 - z) * candidate + z * h[j];
                }
                return (hNext, null);
            }
            default: throw new ArgumentException(mode);
        }
    }

    /// <summary>
    /// A whole stacked (bi)directional layer on time-major input x [T, B, in] (flat), with h0 [L*D, B, Hout] and c0
    /// [L*D, B, H] (zeros when null). Returns output [T, B, D*Hout], h_n and c_n, flat.
    /// </summary>
    public static (double[] Output, double[] H, double[]? C) Run(string mode, RNNBase module, double[] x, int steps, int batch,
        double[]? h0 = null, double[]? c0 = null)
    {
        var p = module.NamedParameters().ToDictionary(e => e.Name, e => Values(e.Parameter));
        int layers = (int)module.NumLayers, dirs = module.NumDirections, hidden = (int)module.HiddenSize;
        int outSize = module.ProjSize > 0 ? (int)module.ProjSize : hidden;
        int inSize = x.Length / (steps * batch);
        var layerInput = x;
        var hN = new double[layers * dirs * batch * outSize];
        var cN = new double[layers * dirs * batch * hidden];
        for (int l = 0; l < layers; l++)
        {
            var output = new double[steps * batch * dirs * outSize];
            for (int d = 0; d < dirs; d++)
            {
                string sfx = $"_l{l}{(d == 1 ? "_reverse" : "")}";
                int k = l * dirs + d;
                for (int b = 0; b < batch; b++)
                {
                    var h = h0 != null ? h0.AsSpan((k * batch + b) * outSize, outSize).ToArray() : new double[outSize];
                    double[]? c = mode == "lstm" ? (c0 != null ? c0.AsSpan((k * batch + b) * hidden, hidden).ToArray() : new double[hidden]) : null;
                    for (int s = 0; s < steps; s++)
                    {
                        int t = d == 1 ? steps - 1 - s : s;
                        var xt = layerInput.AsSpan((t * batch + b) * inSize, inSize).ToArray();
                        (h, c) = Step(mode, xt, h, c, p["weight_ih" + sfx], p["weight_hh" + sfx], p.GetValueOrDefault("bias_ih" + sfx),
                            p.GetValueOrDefault("bias_hh" + sfx), p.GetValueOrDefault("weight_hr" + sfx));
                        h.CopyTo(output, (t * batch + b) * dirs * outSize + d * outSize);
                    }
                    h.CopyTo(hN, (k * batch + b) * outSize);
                    c?.CopyTo(cN, (k * batch + b) * hidden);
                }
            }
            layerInput = output;
            inSize = dirs * outSize;
        }
        return (layerInput, hN, mode == "lstm" ? cN : null);
    }
}
