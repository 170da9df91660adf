namespace PSTorch.NN;

/// <summary>
/// The gate equations shared by the recurrent cells and layers, given the gates' input and hidden projections
/// (x W_ih^T + b_ih and h W_hh^T + b_hh) so that a layer can project a whole sequence's inputs at once.
/// </summary>
internal static class RecurrentGates
{
    /// <summary>LSTM with gate order i, f, g, o: c' = f c + i g, h' = o tanh(c'); <paramref name="gates"/> is both projections summed.</summary>
    public static LSTMState Lstm(Tensor gates, Tensor c)
    {
        var g = gates.Chunk(4, -1);
        var cNext = g[1].Sigmoid() * c + g[0].Sigmoid() * g[2].Tanh();
        return new LSTMState(g[3].Sigmoid() * cNext.Tanh(), cNext);
    }

    /// <summary>GRU with gate order r, z, n: n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.</summary>
    public static Tensor Gru(Tensor inputGates, Tensor hiddenGates, Tensor h)
    {
        var gi = inputGates.Chunk(3, -1);
        var gh = hiddenGates.Chunk(3, -1);
        var r = (gi[0] + gh[0]).Sigmoid();
        var z = (gi[1] + gh[1]).Sigmoid();
        var n = (gi[2] + r * gh[2]).Tanh();
        return n + z * (h - n);
    }

    /// <summary>The Elman RNN's activation, "tanh" or "relu".</summary>
    public static Tensor Activate(Tensor preActivation, string nonlinearity) =>
        nonlinearity == "relu" ? preActivation.Relu() : preActivation.Tanh();

    public static void CheckNonlinearity(string nonlinearity)
    {
        if (nonlinearity is not ("tanh" or "relu")) throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.");
    }
}
