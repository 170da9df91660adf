namespace PSTorch.NN;

/// <summary>
/// Base of RNNCell, LSTMCell and GRUCell (torch.nn.RNNCellBase): weight_ih [gates * hidden, input], weight_hh
/// [gates * hidden, hidden], bias_ih and bias_hh [gates * hidden], all uniform(±1/sqrt(hidden_size)) as PyTorch's reset_parameters.
/// A 1-D input is one unbatched sample.
/// </summary>
public abstract class RNNCellBase : Module
{
    private protected RNNCellBase(long inputSize, long hiddenSize, bool bias, int gates, DType? dtype, Device? device)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        WeightIh = new Parameter(Torch.Empty([gates * hiddenSize, inputSize], dtype, device));
        RegisterParameter("weight_ih", WeightIh);
        WeightHh = new Parameter(Torch.Empty([gates * hiddenSize, hiddenSize], dtype, device));
        RegisterParameter("weight_hh", WeightHh);
        if (bias)
        {
            BiasIh = new Parameter(Torch.Empty([gates * hiddenSize], dtype, device));
            RegisterParameter("bias_ih", BiasIh);
            BiasHh = new Parameter(Torch.Empty([gates * hiddenSize], dtype, device));
            RegisterParameter("bias_hh", BiasHh);
        }
        ResetParameters();
    }

    public long InputSize { get; }
    public long HiddenSize { get; }
    public Parameter WeightIh { get; }
    public Parameter WeightHh { get; }
    public Parameter? BiasIh { get; }
    public Parameter? BiasHh { get; }

    public void ResetParameters()
    {
        double bound = HiddenSize > 0 ? 1 / Math.Sqrt(HiddenSize) : 0;
        foreach (var p in Parameters()) Init.Uniform_(p, -bound, bound);
    }

    /// <summary>Checks a 1-D or 2-D input of input_size features; returns it batched, and whether it was.</summary>
    private protected (Tensor Input, bool Batched) BatchedInput(Tensor input)
    {
        if (input.NDim is not (1 or 2)) throw new ArgumentException($"{GetType().Name}: Expected input to be 1D or 2D, got {input.NDim}D instead");
        bool batched = input.NDim == 2;
        if (!batched) input = input.Unsqueeze(0);
        if (input.Size(1) != InputSize) throw new ArgumentException($"input has inconsistent input_size: got {input.Size(1)} expected {InputSize}");
        return (input, batched);
    }

    /// <summary>A given state (batched like the input, label 0 for h and 1 for an LSTM's c) checked, or zeros.</summary>
    private protected Tensor State(Tensor input, bool batched, Tensor? hx, string name, int label)
    {
        if (hx == null) return Torch.Zeros([input.Size(0), HiddenSize], input.DType, input.Device);
        if (hx.NDim is not (1 or 2)) throw new ArgumentException($"{GetType().Name}: Expected {name} to be 1D or 2D, got {hx.NDim}D instead");
        if (!batched) hx = hx.Unsqueeze(0);
        if (hx.NDim != 2 || input.Size(0) != hx.Size(0))
            throw new ArgumentException($"Input batch size {input.Size(0)} doesn't match hidden{label} batch size {hx.Size(0)}");
        if (hx.Size(1) != HiddenSize) throw new ArgumentException($"hidden{label} has inconsistent hidden_size: got {hx.Size(1)}, expected {HiddenSize}");
        return hx;
    }

    private protected Tensor InputGates(Tensor input) => Functional.Linear(input, WeightIh, BiasIh);
    private protected Tensor HiddenGates(Tensor h) => Functional.Linear(h, WeightHh, BiasHh);
    private protected static Tensor Unbatch(Tensor t, bool batched) => batched ? t : t.Squeeze(0);

    public override string ExtraRepr() => $"{InputSize}, {HiddenSize}{(BiasIh == null ? ", bias=False" : "")}";
}

/// <summary>torch.nn.RNNCell: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu).</summary>
public class RNNCell : RNNCellBase
{
    public RNNCell(long inputSize, long hiddenSize, bool bias = true, string nonlinearity = "tanh", DType? dtype = null, Device? device = null)
        : base(inputSize, hiddenSize, bias, 1, dtype, device)
    {
        RecurrentGates.CheckNonlinearity(nonlinearity);
        Nonlinearity = nonlinearity;
    }

    public string Nonlinearity { get; }

    /// <summary>The next hidden state from input [batch, input_size] (or [input_size]) and hx (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, batched) = BatchedInput(input);
        var h = State(x, batched, hx, "hidden", 0);
        return Unbatch(RecurrentGates.Activate(InputGates(x) + HiddenGates(h), Nonlinearity), batched);
    }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Call(Tensor input, Tensor? hx) => Forward(input, hx);

    public override string ExtraRepr() => base.ExtraRepr() + (Nonlinearity != "tanh" ? $", nonlinearity={Nonlinearity}" : "");
}

/// <summary>torch.nn.LSTMCell: gates i, f, g, o; c' = f c + i g, h' = o tanh(c'). Returns (h', c').</summary>
public class LSTMCell(long inputSize, long hiddenSize, bool bias = true, DType? dtype = null, Device? device = null)
    : RNNCellBase(inputSize, hiddenSize, bias, 4, dtype, device)
{
    /// <summary>(h', c') from input [batch, input_size] (or [input_size]) and hx = (h, c) (zeros when null).</summary>
    public LSTMState Forward(Tensor input, LSTMState? hx)
    {
        var (x, batched) = BatchedInput(input);
        var h = State(x, batched, hx?.H, "hx[0]", 0);
        var c = State(x, batched, hx?.C, "hx[1]", 1);
        var next = RecurrentGates.Lstm(InputGates(x) + HiddenGates(h), c);
        return new LSTMState(Unbatch(next.H, batched), Unbatch(next.C, batched));
    }

    public LSTMState Forward(Tensor input, Tensor h, Tensor c) => Forward(input, new LSTMState(h, c));

    /// <summary>h' only, so the cell also works where one tensor is expected (Sequential).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    /// <summary>lstm_cell(input): (h', c') from zero states.</summary>
    public new LSTMState Call(Tensor input) => Forward(input, null);

    public LSTMState Call(Tensor input, LSTMState? hx) => Forward(input, hx);

    public LSTMState Call(Tensor input, Tensor h, Tensor c) => Forward(input, h, c);
}

/// <summary>torch.nn.GRUCell: gates r, z, n; n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h.</summary>
public class GRUCell(long inputSize, long hiddenSize, bool bias = true, DType? dtype = null, Device? device = null)
    : RNNCellBase(inputSize, hiddenSize, bias, 3, dtype, device)
{
    /// <summary>The next hidden state from input [batch, input_size] (or [input_size]) and hx (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx)
    {
        var (x, batched) = BatchedInput(input);
        var h = State(x, batched, hx, "hidden", 0);
        return Unbatch(RecurrentGates.Gru(InputGates(x), HiddenGates(h), h), batched);
    }

    public override Tensor Forward(Tensor input) => Forward(input, null);

    public Tensor Call(Tensor input, Tensor? hx) => Forward(input, hx);
}
