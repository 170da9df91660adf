namespace PSTorch.NN;

/// <summary>An LSTM's hidden and cell state (h, c): what LSTMCell returns and what LSTM takes as its initial state.</summary>
public sealed record LSTMState(Tensor H, Tensor C);

/// <summary>
/// What RNN, LSTM and GRU return: the output sequence (the last layer's h at every step, both directions
/// concatenated) and the final states h_n (and c_n for an LSTM), each (num_layers * num_directions, batch, hidden).
/// </summary>
public sealed record RecurrentOutput(Tensor Output, Tensor H, Tensor? C = null)
{
    /// <summary>(h_n, c_n) of an LSTM, to pass on as the next call's initial state.</summary>
    public LSTMState? State => C != null ? new LSTMState(H, C) : null;
}
