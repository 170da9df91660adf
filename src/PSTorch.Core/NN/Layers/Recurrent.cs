namespace PSTorch.NN;

/// <summary>
/// Base of RNN, LSTM and GRU (torch.nn.RNNBase): num_layers stacked layers, each one or two directions, with
/// PyTorch's parameter names (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, weight_hr_l{k}, "_reverse"
/// for the backward direction) in PyTorch's order, all uniform(±1/sqrt(hidden_size)).
/// Input is (seq, batch, input_size), (batch, seq, input_size) with batch_first, or unbatched (seq, input_size).
/// The input projections of a whole sequence are one matrix product; only the hidden projection runs per step.
/// </summary>
public abstract class RNNBase : Module
{
    /// <summary>One direction of one layer's parameters.</summary>
    private sealed record DirectionWeights(Parameter Ih, Parameter Hh, Parameter? BiasIh, Parameter? BiasHh, Parameter? Hr);

    readonly List<DirectionWeights> weights = [];
    readonly int gates;

    private protected RNNBase(int gates, long inputSize, long hiddenSize, long numLayers, bool bias, bool batchFirst,
        double dropout, bool bidirectional, long projSize, DType? dtype, Device? device)
    {
        if (dropout is < 0 or > 1 || double.IsNaN(dropout))
            throw new ArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        if (hiddenSize <= 0) throw new ArgumentException("hidden_size must be greater than zero");
        if (numLayers <= 0) throw new ArgumentException("num_layers must be greater than zero");
        if (projSize < 0) throw new ArgumentException("proj_size should be a positive integer or zero to disable projections");
        if (projSize >= hiddenSize) throw new ArgumentException("proj_size has to be smaller than hidden_size");
        this.gates = gates;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        BatchFirst = batchFirst;
        Dropout = dropout;
        Bidirectional = bidirectional;
        ProjSize = projSize;

        long outputSize = projSize > 0 ? projSize : hiddenSize;
        for (long layer = 0; layer < numLayers; layer++)
            for (int direction = 0; direction < NumDirections; direction++)
            {
                long layerInput = layer == 0 ? inputSize : outputSize * NumDirections;
                string suffix = $"_l{layer}{(direction == 1 ? "_reverse" : "")}";
                Parameter Add(string name, long[] shape)
                {
                    var p = new Parameter(Torch.Empty(shape, dtype, device));
                    RegisterParameter(name + suffix, p);
                    return p;
                }
                var ih = Add("weight_ih", [gates * hiddenSize, layerInput]);
                var hh = Add("weight_hh", [gates * hiddenSize, outputSize]);
                var biasIh = bias ? Add("bias_ih", [gates * hiddenSize]) : null;
                var biasHh = bias ? Add("bias_hh", [gates * hiddenSize]) : null;
                var hr = projSize > 0 ? Add("weight_hr", [projSize, hiddenSize]) : null;
                weights.Add(new DirectionWeights(ih, hh, biasIh, biasHh, hr));
            }
        ResetParameters();
    }

    public long InputSize { get; }
    public long HiddenSize { get; }
    public long NumLayers { get; }
    public bool Bias { get; }
    public bool BatchFirst { get; }
    public double Dropout { get; }
    public bool Bidirectional { get; }
    public long ProjSize { get; }
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Size of h: proj_size when projecting, else hidden_size.</summary>
    long OutputSize => ProjSize > 0 ? ProjSize : HiddenSize;

    public void ResetParameters()
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform_(p, -bound, bound);
    }

    /// <summary>The bias added to the input projection: GRU keeps b_hh apart (b_hn is inside r * (...)); RNN and LSTM fold it in.</summary>
    private protected virtual bool FoldsHiddenBias => true;

    /// <summary>One step: the next (h, c) from the step's input projection and the previous state.</summary>
    private protected abstract (Tensor H, Tensor? C) Step(Tensor inputGates, Tensor h, Tensor? c, Parameter hh, Parameter? biasHh);

    /// <summary>Runs all layers; h0 (and c0 for an LSTM) are zeros when null.</summary>
    private protected RecurrentOutput Run(Tensor input, Tensor? h0, Tensor? c0, bool hasCell)
    {
        string name = GetType().Name;
        if (input.NDim is not (2 or 3))
            throw new ArgumentException($"{name}: Expected input to be 2D or 3D, got {input.NDim}D{(name == "RNN" ? " tensor" : "")} instead");
        bool batched = input.NDim == 3;
        int batchDim = BatchFirst ? 0 : 1;
        CheckStateDims(batched, h0, c0, hasCell);
        if (!batched)
        {
            input = input.Unsqueeze(batchDim);
            h0 = h0?.Unsqueeze(1);
            c0 = c0?.Unsqueeze(1);
        }
        if (BatchFirst) input = input.Transpose(0, 1);
        var weightType = weights[0].Ih.DType;
        if (input.DType != weightType) throw new ArgumentException($"input must have the type {weightType.TorchName()}, got type {input.DType.TorchName()}");
        if (input.Size(-1) != InputSize)
            throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {input.Size(-1)}");
        long batch = input.Size(1), states = NumLayers * NumDirections;
        h0 = CheckedState(h0, [states, batch, OutputSize], hasCell ? "hidden[0] " : "hidden ", input);
        if (hasCell) c0 = CheckedState(c0, [states, batch, HiddenSize], "hidden[1] ", input);

        var layerInput = input;
        var hN = new Tensor[states];
        var cN = new Tensor?[states];
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var outputs = new Tensor[NumDirections];
            for (int direction = 0; direction < NumDirections; direction++)
            {
                int k = layer * NumDirections + direction;
                (outputs[direction], hN[k], cN[k]) = RunDirection(layerInput, weights[k], h0.Select(0, k), c0?.Select(0, k), reverse: direction == 1);
            }
            layerInput = NumDirections == 1 ? outputs[0] : Torch.Cat(outputs, 2);
            if (layer < NumLayers - 1) layerInput = Functional.Dropout(layerInput, Dropout, Training);
        }
        var output = BatchFirst ? layerInput.Transpose(0, 1) : layerInput;
        var h = Torch.Stack(hN, 0);
        var c = hasCell ? Torch.Stack(Array.ConvertAll(cN, t => t!), 0) : null;
        return batched ? new RecurrentOutput(output, h, c) : new RecurrentOutput(output.Squeeze(batchDim), h.Squeeze(1), c?.Squeeze(1));
    }

    (Tensor Output, Tensor H, Tensor? C) RunDirection(Tensor x, DirectionWeights w, Tensor h, Tensor? c, bool reverse)
    {
        long steps = x.Size(0), batch = x.Size(1);
        var inputBias = FoldsHiddenBias && w.BiasIh != null ? w.BiasIh + w.BiasHh! : w.BiasIh;
        var inputGates = Functional.Linear(x.Reshape(steps * batch, x.Size(2)), w.Ih, inputBias).View(steps, batch, gates * HiddenSize);
        var outputs = new Tensor[steps];
        for (long s = 0; s < steps; s++)
        {
            long t = reverse ? steps - 1 - s : s;
            (h, c) = Step(inputGates.Select(0, t), h, c, w.Hh, w.BiasHh);
            if (w.Hr != null) h = h.MatMul(w.Hr.T());
            outputs[t] = h;
        }
        return (Torch.Stack(outputs, 0), h, c);
    }

    void CheckStateDims(bool batched, Tensor? h0, Tensor? c0, bool hasCell)
    {
        int expected = batched ? 3 : 2;
        string kind = batched ? "batched 3-D" : "unbatched 2-D";
        if (hasCell)
        {
            if (h0 == null || c0 == null) return;
            if (h0.NDim != expected || c0.NDim != expected)
                throw new ArgumentException($"For {kind} input, hx and cx should also be {expected}-D but got ({h0.NDim}-D, {c0.NDim}-D) tensors");
        }
        else if (h0 != null && h0.NDim != expected)
            throw new ArgumentException($"For {kind} input, hx should also be {expected}-D but got {h0.NDim}-D tensor");
    }

    static Tensor CheckedState(Tensor? state, long[] expected, string label, Tensor input)
    {
        if (state == null) return Torch.Zeros(expected, input.DType, input.Device);
        if (!state.Shape.SequenceEqual(expected))
            throw new ArgumentException($"Expected {label}size ({string.Join(", ", expected)}), got {Shapes.Format(state.ShapeRef)}");
        return state;
    }

    public override string ExtraRepr()
    {
        var s = $"{InputSize}, {HiddenSize}";
        if (ProjSize != 0) s += $", proj_size={ProjSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!Bias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += $", dropout={PythonFormat.Float(Dropout)}";
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }
}

/// <summary>torch.nn.RNN: h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or relu), stacked and optionally bidirectional.</summary>
public class RNN : RNNBase
{
    public RNN(long inputSize, long hiddenSize, long numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
        double dropout = 0, bool bidirectional = false, DType? dtype = null, Device? device = null)
        : base(1, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype, device)
    {
        RecurrentGates.CheckNonlinearity(nonlinearity);
        Nonlinearity = nonlinearity;
    }

    public string Nonlinearity { get; }

    private protected override (Tensor H, Tensor? C) Step(Tensor inputGates, Tensor h, Tensor? c, Parameter hh, Parameter? biasHh) =>
        (RecurrentGates.Activate(Torch.Addmm(inputGates, h, hh.T()), Nonlinearity), null);

    /// <summary>(output, h_n) from the input and h_0 (zeros when null).</summary>
    public RecurrentOutput Forward(Tensor input, Tensor? hx) => Run(input, hx, null, hasCell: false);

    /// <summary>The output sequence only, so the layer works where one tensor is expected (Sequential).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>rnn(input): (output, h_n) from zero initial states.</summary>
    public new RecurrentOutput Call(Tensor input) => Forward(input, null);

    public RecurrentOutput Call(Tensor input, Tensor? hx) => Forward(input, hx);
}

/// <summary>torch.nn.LSTM: gates i, f, g, o per step; proj_size &gt; 0 projects h with weight_hr.</summary>
public class LSTM(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
    double dropout = 0, bool bidirectional = false, long projSize = 0, DType? dtype = null, Device? device = null)
    : RNNBase(4, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize, dtype, device)
{
    private protected override (Tensor H, Tensor? C) Step(Tensor inputGates, Tensor h, Tensor? c, Parameter hh, Parameter? biasHh)
    {
        var next = RecurrentGates.Lstm(Torch.Addmm(inputGates, h, hh.T()), c!);
        return (next.H, next.C);
    }

    /// <summary>(output, h_n, c_n) from the input and (h_0, c_0) (zeros when null).</summary>
    public RecurrentOutput Forward(Tensor input, LSTMState? hx) => Run(input, hx?.H, hx?.C, hasCell: true);

    public RecurrentOutput Forward(Tensor input, Tensor h0, Tensor c0) => Forward(input, new LSTMState(h0, c0));

    /// <summary>The output sequence only, so the layer works where one tensor is expected (Sequential).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>lstm(input): (output, h_n, c_n) from zero initial states.</summary>
    public new RecurrentOutput Call(Tensor input) => Forward(input, null);

    public RecurrentOutput Call(Tensor input, LSTMState? hx) => Forward(input, hx);

    public RecurrentOutput Call(Tensor input, Tensor h0, Tensor c0) => Forward(input, h0, c0);
}

/// <summary>torch.nn.GRU: gates r, z, n per step with PyTorch's n = tanh(W_in x + b_in + r (W_hn h + b_hn)).</summary>
public class GRU(long inputSize, long hiddenSize, long numLayers = 1, bool bias = true, bool batchFirst = false,
    double dropout = 0, bool bidirectional = false, DType? dtype = null, Device? device = null)
    : RNNBase(3, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0, dtype, device)
{
    private protected override bool FoldsHiddenBias => false;

    private protected override (Tensor H, Tensor? C) Step(Tensor inputGates, Tensor h, Tensor? c, Parameter hh, Parameter? biasHh) =>
        (RecurrentGates.Gru(inputGates, Functional.Linear(h, hh, biasHh), h), null);

    /// <summary>(output, h_n) from the input and h_0 (zeros when null).</summary>
    public RecurrentOutput Forward(Tensor input, Tensor? hx) => Run(input, hx, null, hasCell: false);

    /// <summary>The output sequence only, so the layer works where one tensor is expected (Sequential).</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>gru(input): (output, h_n) from zero initial states.</summary>
    public new RecurrentOutput Call(Tensor input) => Forward(input, null);

    public RecurrentOutput Call(Tensor input, Tensor? hx) => Forward(input, hx);
}
