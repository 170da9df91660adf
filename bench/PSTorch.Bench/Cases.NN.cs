using PSTorch.NN;
using PSTorch.Optim;

namespace PSTorch.Bench;

/// <summary>The peer's Conv2d, MaxPool2d and training-step cases, with its names, sizes and work per call.</summary>
public static partial class Cases
{
    static void AddNeuralNetworkCases(List<Case> list)
    {
        list.Add(new("conv1_fwd", "conv", "conv2d 64x1x28x28, 32 filters 3x3 pad 1, forward (no_grad)", () => Conv(1, 32, 28, false)));
        list.Add(new("conv1_fwdbwd", "conv", "same, forward+backward (dW, db; input needs no grad)", () => Conv(1, 32, 28, true)));
        list.Add(new("conv2_fwd", "conv", "conv2d 64x32x14x14, 64 filters 3x3 pad 1, forward (no_grad)", () => Conv(32, 64, 14, false)));
        list.Add(new("conv2_fwdbwd", "conv", "same, forward+backward (dX, dW, db)", () => Conv(32, 64, 14, true)));
        list.Add(new("pool_fwd", "pool", "max_pool2d 2x2 on 64x32x28x28, forward (no_grad)", () => Pool(false)));
        list.Add(new("pool_fwdbwd", "pool", "max_pool2d 2x2 on 64x32x28x28, forward+backward", () => Pool(true)));
        list.Add(new("mlp_train_b64", "mlp", "MLP 784-256-128-10 train step, batch 64, Adam", () => TrainStep("mlp_train_b64", Mlp, 64, false)));
        list.Add(new("mlp_train_b256", "mlp", "MLP 784-256-128-10 train step, batch 256, Adam", () => TrainStep("mlp_train_b256", Mlp, 256, false)));
        list.Add(new("cnn_train_b64", "cnn", "small CNN train step, batch 64, Adam", () => TrainStep("cnn_train_b64", Cnn, 64, true)));
    }

    static Result Conv(long cin, long cout, long hw, bool backward)
    {
        const long batch = 64;
        Torch.ManualSeed(0);
        var conv = new Conv2d(cin, cout, 3, padding: 1L);
        using var x = Inputs.Randn(batch, cin, hw, hw);
        using var gy = Inputs.Randn(batch, cout, hw, hw);
        bool needDx = cin > 1; // the first layer (raw images) needs no input gradient
        double fwdGflop = 2.0 * batch * cout * hw * hw * cin * 9 / 1e9;
        double gflop = backward ? fwdGflop * (needDx ? 3 : 2) : fwdGflop;
        string name = $"conv{(cin == 1 ? 1 : 2)}_{(backward ? "fwdbwd" : "fwd")}";
        Action op = backward
            ? () =>
            {
                conv.ZeroGrad();
                using var input = needDx ? x.Detach().RequiresGrad_(true) : x.Detach();
                using var y = conv.Call(input);
                y.Backward(gy);
                input.Grad?.Dispose();
            }
            : () =>
            {
                using var noGrad = Torch.NoGrad();
                conv.Call(x).Dispose();
            };
        return Measure.Op(name, "conv", P(("input", $"{batch}x{cin}x{hw}x{hw}"), ("filters", cout), ("kernel", "3x3"), ("padding", 1),
                ("bias", true), ("grads", backward ? (needDx ? "dX,dW,db" : "dW,db") : "none"), ("gflop_per_call", gflop)),
            Threads, op, gflop, "GFLOP/s", "GFLOP counts direct-conv MACs x2 (fwd; bwd adds dW and, for conv2, dX: 2x or 3x fwd); bias/ReLU ignored");
    }

    static Result Pool(bool backward)
    {
        using var x = Inputs.Randn(64, 32, 28, 28);
        using var gy = Inputs.Randn(64, 32, 14, 14);
        long[] kernel = [2, 2];
        Action op = backward
            ? () =>
            {
                using var input = x.Detach().RequiresGrad_(true);
                using var y = Functional.MaxPool2d(input, kernel, kernel);
                y.Backward(gy);
                input.Grad?.Dispose();
            }
            : () =>
            {
                using var noGrad = Torch.NoGrad();
                Functional.MaxPool2d(x, kernel, kernel).Dispose();
            };
        double bytes = 4.0 * (x.Numel() + gy.Numel()) * (backward ? 2 : 1); // fwd: read x, write y; bwd: read gy, write dx
        return Measure.Op(backward ? "pool_fwdbwd" : "pool_fwd", "pool", P(("input", "64x32x28x28"), ("kernel", "2x2"), ("stride", 2)),
            Threads, op, bytes / 1e9, "GB/s", "GB/s counts fwd read x + write y (+ bwd read dy + write dx); indices traffic not counted");
    }

    public static Sequential Mlp() => new([
        ("fc1", new Linear(784, 256)), ("relu1", new ReLU()),
        ("fc2", new Linear(256, 128)), ("relu2", new ReLU()),
        ("fc3", new Linear(128, 10))]);

    public static Sequential Cnn() => new([
        ("conv1", new Conv2d(1, 32, 3, padding: 1L)), ("relu1", new ReLU()), ("pool1", new MaxPool2d(2)),
        ("conv2", new Conv2d(32, 64, 3, padding: 1L)), ("relu2", new ReLU()), ("pool2", new MaxPool2d(2)),
        ("flatten", new Flatten()),
        ("fc1", new Linear(3136, 128)), ("relu3", new ReLU()),
        ("fc2", new Linear(128, 10))]);

    /// <summary>One optimisation step as the peer runs it: zero_grad + forward + loss + backward + step + loss.item().</summary>
    public static float Step(Module model, Optimizer optimizer, Tensor x, Tensor y)
    {
        optimizer.ZeroGrad();
        using var logits = model.Call(x);
        using var loss = Functional.CrossEntropy(logits, y);
        loss.Backward();
        optimizer.Step();
        return loss.Item<float>();
    }

    static Result TrainStep(string name, Func<Sequential> make, long batch, bool image)
    {
        Torch.ManualSeed(0);
        var model = make();
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        using var x = image ? Inputs.Randn(batch, 1, 28, 28) : Inputs.Randn(batch, 784);
        using var y = Inputs.RandInt(10, batch);
        return Measure.Op(name, image ? "cnn" : "mlp",
            P(("model", image ? "conv(1->32,3x3,p1)-relu-maxpool2-conv(32->64,3x3,p1)-relu-maxpool2-flatten-fc(3136->128)-relu-fc(128->10)" : "784-256-128-10 ReLU"),
              ("batch", batch), ("loss", "cross_entropy"), ("optimizer", "Adam lr=1e-3"), ("data", "random, fixed tensors"),
              ("step", "zero_grad+forward+loss+backward+step+loss.item()")),
            Threads, () => Step(model, optimizer, x, y), batch, "samples/s");
    }
}
