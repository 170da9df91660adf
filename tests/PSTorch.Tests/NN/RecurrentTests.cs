using PSTorch;
using PSTorch.NN;
using Xunit;
using static PSTorch.Tests.NN.RecurrentReference;

namespace PSTorch.Tests.NN;

/// <summary>RNNCell, LSTMCell, GRUCell, RNN, LSTM and GRU against a scalar float64 reference of PyTorch's equations, with PyTorch's names, shapes and errors.</summary>
[Collection("DefaultGenerator")]
public class RecurrentTests
{
    const DType F64 = DType.Float64;

    static double[] Row(Tensor t, int row) => Values(t.Select(0, row));

    static RNNCellBase Cell(string mode, bool bias = true) => mode switch
    {
        "lstm" => new LSTMCell(4, 3, bias, dtype: F64),
        "gru" => new GRUCell(4, 3, bias, dtype: F64),
        _ => new RNNCell(4, 3, bias, mode, dtype: F64),
    };

    static (Tensor H, Tensor? C) CellForward(RNNCellBase cell, Tensor x, Tensor? h, Tensor? c) => cell switch
    {
        LSTMCell lstm => lstm.Forward(x, h == null ? null : new LSTMState(h, c!)) is var s ? (s.H, s.C) : default,
        RNNCell rnn => (rnn.Forward(x, h), null),
        GRUCell gru => (gru.Forward(x, h), null),
        _ => throw new ArgumentException(cell.GetType().Name),
    };

    [Theory]
    [InlineData("tanh", true)]
    [InlineData("relu", true)]
    [InlineData("lstm", true)]
    [InlineData("gru", true)]
    [InlineData("lstm", false)]
    [InlineData("gru", false)]
    public void CellsFollowTheGateEquations_BatchedUnbatchedAndFromZeroState(string mode, bool bias)
    {
        Torch.ManualSeed(11);
        var cell = Cell(mode, bias);
        var x = Torch.Randn([2, 4], F64);
        var h = Torch.Randn([2, 3], F64);
        var c = Torch.Randn([2, 3], F64);
        var p = cell.NamedParameters().ToDictionary(e => e.Name, e => Values(e.Parameter));
        (double[] H, double[]? C) Expected(int b, bool zeroState) => Step(mode, Row(x, b), zeroState ? new double[3] : Row(h, b),
            mode == "lstm" ? (zeroState ? new double[3] : Row(c, b)) : null, p["weight_ih"], p["weight_hh"], p.GetValueOrDefault("bias_ih"), p.GetValueOrDefault("bias_hh"));

        var (hNext, cNext) = CellForward(cell, x, h, mode == "lstm" ? c : null);
        Assert.Equal([2L, 3], hNext.Shape);
        Close([.. Expected(0, false).H, .. Expected(1, false).H], hNext);
        if (mode == "lstm") Close([.. Expected(0, false).C!, .. Expected(1, false).C!], cNext!);

        var (hUnbatched, cUnbatched) = CellForward(cell, x.Select(0, 1), h.Select(0, 1), mode == "lstm" ? c.Select(0, 1) : null);
        Assert.Equal([3L], hUnbatched.Shape);
        Close(Expected(1, false).H, hUnbatched);
        if (mode == "lstm") Close(Expected(1, false).C!, cUnbatched!);

        Close([.. Expected(0, true).H, .. Expected(1, true).H], cell.Forward(x));
    }

    static RNNBase Layer(string mode, long inputSize, long hidden, int layers, bool bidirectional, bool batchFirst, long projSize = 0) => mode switch
    {
        "lstm" => new LSTM(inputSize, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, projSize: projSize, dtype: F64),
        "gru" => new GRU(inputSize, hidden, layers, batchFirst: batchFirst, bidirectional: bidirectional, dtype: F64),
        _ => new RNN(inputSize, hidden, layers, mode, batchFirst: batchFirst, bidirectional: bidirectional, dtype: F64),
    };

    static RecurrentOutput LayerForward(RNNBase layer, Tensor x, Tensor? h0, Tensor? c0) => layer switch
    {
        LSTM lstm => lstm.Forward(x, h0 == null ? null : new LSTMState(h0, c0!)),
        RNN rnn => rnn.Forward(x, h0),
        GRU gru => gru.Forward(x, h0),
        _ => throw new ArgumentException(layer.GetType().Name),
    };

    [Theory]
    [InlineData("tanh", 1, false, false, false)]
    [InlineData("relu", 2, true, true, true)]
    [InlineData("lstm", 1, false, false, true)]
    [InlineData("lstm", 2, true, false, true)]
    [InlineData("lstm", 2, true, true, false)]
    [InlineData("gru", 1, false, true, true)]
    [InlineData("gru", 2, true, true, true)]
    [InlineData("gru", 2, true, false, false)]
    public void LayersMatchTheReference_StackedBidirectionalBatchFirst(string mode, int layers, bool bidirectional, bool batchFirst, bool givenState)
    {
        Torch.ManualSeed(5);
        const int steps = 4, batch = 2, hidden = 3;
        var layer = Layer(mode, 5, hidden, layers, bidirectional, batchFirst);
        int states = layers * (bidirectional ? 2 : 1);
        var timeMajor = Torch.Randn([steps, batch, 5], F64);
        var h0 = givenState ? Torch.Randn([states, batch, hidden], F64) : null;
        var c0 = givenState && mode == "lstm" ? Torch.Randn([states, batch, hidden], F64) : null;

        var result = LayerForward(layer, batchFirst ? timeMajor.Transpose(0, 1) : timeMajor, h0, c0);
        var expected = Run(mode, layer, Values(timeMajor), steps, batch, h0 == null ? null : Values(h0), c0 == null ? null : Values(c0));

        long features = hidden * (bidirectional ? 2 : 1);
        Assert.Equal(batchFirst ? [batch, steps, features] : new long[] { steps, batch, features }, result.Output.Shape);
        Close(expected.Output, batchFirst ? result.Output.Transpose(0, 1) : result.Output);
        Assert.Equal([states, batch, hidden], result.H.Shape);
        Close(expected.H, result.H);
        if (mode == "lstm") Close(expected.C!, result.C!);
        else Assert.Null(result.C);
    }

    [Fact]
    public void LstmWithProjection_ProjectsHWithWeightHr()
    {
        Torch.ManualSeed(8);
        var lstm = new LSTM(4, 5, numLayers: 2, bidirectional: true, projSize: 3, dtype: F64);
        Assert.Equal([20L, 6], lstm.StateDict()["weight_ih_l1"].Shape);
        Assert.Equal([20L, 3], lstm.StateDict()["weight_hh_l0_reverse"].Shape);
        Assert.Equal([3L, 5], lstm.StateDict()["weight_hr_l1_reverse"].Shape);
        var x = Torch.Randn([3, 2, 4], F64);
        var h0 = Torch.Randn([4, 2, 3], F64);
        var c0 = Torch.Randn([4, 2, 5], F64);
        var result = lstm.Forward(x, h0, c0);
        var expected = Run("lstm", lstm, Values(x), 3, 2, Values(h0), Values(c0));
        Assert.Equal([3L, 2, 6], result.Output.Shape);
        Assert.Equal([4L, 2, 3], result.H.Shape);
        Assert.Equal([4L, 2, 5], result.C!.Shape);
        Close(expected.Output, result.Output);
        Close(expected.H, result.H);
        Close(expected.C!, result.C);
        var error = Assert.Throws<ArgumentException>(() => lstm.Forward(x, c0, c0));
        Assert.Equal("Expected hidden[0] size (4, 2, 3), got [4, 2, 5]", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnbatchedInputIsOneSequence(bool batchFirst)
    {
        Torch.ManualSeed(3);
        var lstm = new LSTM(4, 3, numLayers: 2, batchFirst: batchFirst, bidirectional: true, dtype: F64);
        var x = Torch.Randn([5, 4], F64);
        var h0 = Torch.Randn([4, 3], F64);
        var c0 = Torch.Randn([4, 3], F64);
        var single = lstm.Forward(x, h0, c0);
        var batched = lstm.Forward(x.Unsqueeze(batchFirst ? 0 : 1), h0.Unsqueeze(1), c0.Unsqueeze(1));
        Assert.Equal([5L, 6], single.Output.Shape);
        Assert.Equal([4L, 3], single.H.Shape);
        Assert.Equal([4L, 3], single.C!.Shape);
        Close(Values(batched.Output), single.Output, 0);
        Close(Values(batched.H), single.H, 0);
        Close(Values(batched.C!), single.C, 0);
    }

    [Fact]
    public void GradCheck_LstmSequence_InputStatesAndWeights()
    {
        Torch.ManualSeed(2);
        var lstm = new LSTM(3, 2, numLayers: 2, bidirectional: true, dtype: F64);
        var x = Torch.Randn([3, 2, 3], F64, requiresGrad: true);
        var h0 = Torch.Randn([4, 2, 2], F64, requiresGrad: true);
        var c0 = Torch.Randn([4, 2, 2], F64, requiresGrad: true);
        Tensor Outputs(Tensor[] t)
        {
            var r = lstm.Forward(t[0], t[1], t[2]);
            return Torch.Cat([r.Output.Flatten(0, -1), r.H.Flatten(0, -1), r.C!.Flatten(0, -1)]);
        }
        Assert.True(Torch.GradCheck(Outputs, [x, h0, c0]));
        Assert.True(Torch.GradCheck(Outputs, [x, h0, c0, .. lstm.NamedParameters().Where(e => e.Name.EndsWith("l1_reverse")).Select(e => e.Parameter)]));
    }

    [Fact]
    public void GradCheck_GruSequence_BatchFirstInputStateAndWeights()
    {
        Torch.ManualSeed(4);
        var gru = new GRU(3, 2, batchFirst: true, dtype: F64);
        var x = Torch.Randn([2, 3, 3], F64, requiresGrad: true);
        var h0 = Torch.Randn([1, 2, 2], F64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t =>
        {
            var r = gru.Forward(t[0], t[1]);
            return Torch.Cat([r.Output.Flatten(0, -1), r.H.Flatten(0, -1)]);
        }, [x, h0, .. gru.Parameters()]));
    }

    [Fact]
    public void GradCheck_Cells()
    {
        Torch.ManualSeed(6);
        var lstm = new LSTMCell(3, 2, dtype: F64);
        var gru = new GRUCell(3, 2, dtype: F64);
        var rnn = new RNNCell(3, 2, dtype: F64);
        var x = Torch.Randn([2, 3], F64, requiresGrad: true);
        var h = Torch.Randn([2, 2], F64, requiresGrad: true);
        var c = Torch.Randn([2, 2], F64, requiresGrad: true);
        Assert.True(Torch.GradCheck(t => lstm.Forward(t[0], t[1], t[2]) is var s ? Torch.Cat([s.H, s.C]) : null!, [x, h, c, .. lstm.Parameters()]));
        Assert.True(Torch.GradCheck(t => gru.Forward(t[0], t[1]), [x, h, .. gru.Parameters()]));
        Assert.True(Torch.GradCheck(t => rnn.Forward(t[0], t[1]), [x, h, .. rnn.Parameters()]));
    }

    [Fact]
    public void StateDictKeysAndShapesArePyTorchs()
    {
        var lstm = new LSTM(4, 8, numLayers: 2, bidirectional: true);
        Assert.Equal(
        [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
        ], lstm.StateDict().Keys);
        Assert.Equal([32L, 4], lstm.StateDict()["weight_ih_l0"].Shape);
        Assert.Equal([32L, 16], lstm.StateDict()["weight_ih_l1_reverse"].Shape);
        Assert.Equal([32L, 8], lstm.StateDict()["weight_hh_l1"].Shape);
        Assert.Equal([32L], lstm.StateDict()["bias_hh_l0"].Shape);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "weight_hr_l0"], new LSTM(4, 8, bias: false, projSize: 2).StateDict().Keys);
        var gru = new GRU(4, 8, bias: false);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], gru.StateDict().Keys);
        Assert.Equal([24L, 4], gru.StateDict()["weight_ih_l0"].Shape);
        Assert.Equal([8L, 4], new RNN(4, 8).StateDict()["weight_ih_l0"].Shape);
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new GRUCell(4, 8).StateDict().Keys);
        Assert.Equal([32L, 8], new LSTMCell(4, 8).StateDict()["weight_hh"].Shape);
    }

    [Fact]
    public void InitDrawsUniformWithinOneOverSqrtHiddenInParameterOrder()
    {
        Torch.ManualSeed(7);
        var lstm = new LSTM(4, 9, numLayers: 2, bidirectional: true);
        Torch.ManualSeed(7);
        foreach (var p in lstm.Parameters())
        {
            var expected = Init.Uniform_(Torch.Empty(p.Shape), -1.0 / 3, 1.0 / 3);
            Assert.Equal(expected.ToArray<float>(), p.ToArray<float>());
        }
        var values = lstm.Parameters().SelectMany(p => p.ToArray<float>()).ToArray();
        Assert.True(values.Max() <= 1.0 / 3 && values.Min() >= -1.0 / 3 && values.Max() > 0.3 && values.Min() < -0.3);
        var cell = new GRUCell(4, 16);
        Assert.All(cell.Parameters().SelectMany(p => p.ToArray<float>()), v => Assert.InRange(v, -0.25f, 0.25f));
    }

    [Fact]
    public void DropoutActsBetweenLayersOnlyInTraining()
    {
        Torch.ManualSeed(9);
        var lstm = new LSTM(4, 3, numLayers: 2, dropout: 1.0, dtype: F64);
        var a = Torch.Randn([3, 2, 4], F64);
        var b = Torch.Randn([3, 2, 4], F64);
        // p = 1 zeroes the second layer's input: the output no longer depends on the input
        Close(Values(lstm.Call(a).Output), lstm.Call(b).Output, 0);
        lstm.Eval();
        Close(Run("lstm", lstm, Values(a), 3, 2).Output, lstm.Call(a).Output);
        Assert.NotEqual(Values(lstm.Call(a).Output), Values(lstm.Call(b).Output));
    }

    [Fact]
    public void ModuleForwardReturnsTheOutputSequence_SoLayersWorkInSequential()
    {
        var model = new Sequential(new GRU(4, 6, batchFirst: true, bidirectional: true), new Linear(12, 2));
        Assert.Equal([2L, 5, 2], model.Forward(Torch.Randn(2, 5, 4)).Shape);
        Assert.Equal([2L, 5, 6], new LSTM(4, 6, batchFirst: true).Forward(Torch.Randn(2, 5, 4)).Shape);
        Assert.Equal([2L, 6], new LSTMCell(4, 6).Forward(Torch.Randn(2, 4)).Shape);
    }

    [Fact]
    public void ReprIsPyTorchs()
    {
        Assert.Equal("LSTM(4, 8)", new LSTM(4, 8).ToString());
        Assert.Equal("LSTM(4, 8, proj_size=2, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)",
            new LSTM(4, 8, 2, bias: false, batchFirst: true, dropout: 0.5, bidirectional: true, projSize: 2).ToString());
        Assert.Equal("GRU(3, 5, num_layers=3)", new GRU(3, 5, 3).ToString());
        Assert.Equal("RNNCell(4, 3, nonlinearity=relu)", new RNNCell(4, 3, nonlinearity: "relu").ToString());
        Assert.Equal("GRUCell(4, 3, bias=False)", new GRUCell(4, 3, bias: false).ToString());
    }

    [Fact]
    public void WrongInputsFailWithPyTorchsMessages()
    {
        var lstm = new LSTM(4, 8, numLayers: 2);
        string Message(Action a) => Assert.Throws<ArgumentException>(a).Message;
        Assert.Equal("input.size(-1) must be equal to input_size. Expected 4, got 3", Message(() => lstm.Call(Torch.Randn(5, 2, 3))));
        Assert.Equal("input.size(-1) must be equal to input_size. Expected 4, got 3", Message(() => lstm.Call(Torch.Randn(5, 3))));
        Assert.Equal("LSTM: Expected input to be 2D or 3D, got 4D instead", Message(() => lstm.Call(Torch.Randn(1, 5, 2, 4))));
        Assert.Equal("RNN: Expected input to be 2D or 3D, got 1D tensor instead", Message(() => new RNN(4, 8).Call(Torch.Randn(4))));
        Assert.Equal("Expected hidden[0] size (2, 3, 8), got [1, 3, 8]",
            Message(() => lstm.Call(Torch.Randn(5, 3, 4), Torch.Zeros(1, 3, 8), Torch.Zeros(2, 3, 8))));
        Assert.Equal("Expected hidden[1] size (2, 3, 8), got [2, 2, 8]",
            Message(() => lstm.Call(Torch.Randn(5, 3, 4), Torch.Zeros(2, 3, 8), Torch.Zeros(2, 2, 8))));
        Assert.Equal("For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors",
            Message(() => lstm.Call(Torch.Randn(5, 3, 4), Torch.Zeros(2, 8), Torch.Zeros(2, 3, 8))));
        Assert.Equal("Expected hidden size (1, 3, 8), got [1, 2, 8]", Message(() => new GRU(4, 8).Call(Torch.Randn(5, 3, 4), Torch.Zeros(1, 2, 8))));
        Assert.Equal("For unbatched 2-D input, hx should also be 2-D but got 3-D tensor", Message(() => new GRU(4, 8).Call(Torch.Randn(5, 4), Torch.Zeros(1, 1, 8))));
        Assert.Equal("input must have the type torch.float32, got type torch.float64", Message(() => lstm.Call(Torch.Randn([5, 3, 4], F64))));
        Assert.Equal("input has inconsistent input_size: got 3 expected 4", Message(() => new LSTMCell(4, 8).Call(Torch.Randn(2, 3))));
        Assert.Equal("hidden0 has inconsistent hidden_size: got 7, expected 8", Message(() => new GRUCell(4, 8).Call(Torch.Randn(2, 4), Torch.Zeros(2, 7))));
        Assert.Equal("Input batch size 2 doesn't match hidden1 batch size 3",
            Message(() => new LSTMCell(4, 8).Call(Torch.Randn(2, 4), Torch.Zeros(2, 8), Torch.Zeros(3, 8))));
        Assert.Equal("GRUCell: Expected input to be 1D or 2D, got 3D instead", Message(() => new GRUCell(4, 8).Call(Torch.Randn(1, 2, 4))));
        Assert.Equal("proj_size has to be smaller than hidden_size", Message(() => new LSTM(4, 8, projSize: 8)));
        Assert.Equal("Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.", Message(() => new RNN(4, 8, nonlinearity: "sigmoid")));
        Assert.Equal("dropout should be a number in range [0, 1] representing the probability of an element being zeroed", Message(() => new GRU(4, 8, dropout: 1.5)));
    }
}
