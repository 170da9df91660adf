using PSTorch;
using PSTorch.NN;
using Xunit;

namespace PSTorch.Tests.NN;

public class ModuleTests
{
    sealed class MLP : Module
    {
        public Linear Hidden { get; } = new(784, 256);
        public ReLU Act { get; } = new();
        public Linear Output { get; } = new(256, 10);

        public override Tensor Forward(Tensor x) => Output.Call(Act.Call(Hidden.Call(x)));
    }

    [Fact]
    public void MlpForwardShapeAndRepr()
    {
        var net = new MLP();
        Assert.Equal(new long[] { 2, 10 }, net.Call(Torch.Randn(2, 784)).Shape);
        Assert.Equal(
            "MLP(\n  (Hidden): Linear(in_features=784, out_features=256, bias=True)\n  (Act): ReLU()\n  (Output): Linear(in_features=256, out_features=10, bias=True)\n)",
            net.ToString());
        Assert.Equal(new[] { "Hidden.weight", "Hidden.bias", "Output.weight", "Output.bias" }, net.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void StateDictRoundTripAndErrors()
    {
        var a = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        var b = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.StateDict()["2.bias"].ToArray<float>(), b.StateDict()["2.bias"].ToArray<float>());
        var wrong = new Sequential(new Linear(5, 3), new ReLU(), new Linear(3, 2));
        var e = Assert.Throws<InvalidOperationException>(() => wrong.LoadStateDict(a.StateDict()));
        Assert.Contains("size mismatch for 0.weight: copying a param with shape torch.Size([3, 4]) from checkpoint, the shape in current model is torch.Size([3, 5]).", e.Message);
        var partial = new StateDict { ["0.weight"] = a.StateDict()["0.weight"], ["extra"] = Torch.Zeros(1) };
        var r = b.LoadStateDict(partial, strict: false);
        Assert.Equal(new[] { "0.bias", "2.weight", "2.bias" }, r.MissingKeys);
        Assert.Equal(new[] { "extra" }, r.UnexpectedKeys);
    }

    [Fact]
    public void SgdMomentumFollowsTheDocumentedUpdate()
    {
        var p = new Parameter(Torch.FromArray(new float[] { 1, -2 }));
        var opt = new PSTorch.Optim.SGD([p], lr: 0.1, momentum: 0.9);
        // loss = sum(p^2): grad = 2p
        for (int i = 0; i < 2; i++)
        {
            opt.ZeroGrad();
            (p * p).Sum().Backward();
            opt.Step();
        }
        // step 1: b = g = 2p0 = [2,-4]; p1 = p0 - 0.1 b = [0.8, -1.6]
        // step 2: g = [1.6,-3.2]; b = 0.9*[2,-4] + g = [3.4,-6.8]; p2 = [0.8-0.34, -1.6+0.68] = [0.46, -0.92]
        var v = p.ToArray<float>();
        Assert.Equal(0.46, v[0], 1e-6);
        Assert.Equal(-0.92, v[1], 1e-6);
    }

    [Fact]
    public void CrossEntropyWithClassWeights()
    {
        var logits = Torch.FromArray(new float[] { 1, 2, 0.5f, 0.1f, -1, 3, 2, 2 }, [4, 2]);
        var target = Torch.FromArray(new long[] { 1, 0, 1, 0 });
        var loss = new CrossEntropyLoss(weight: Torch.FromArray(new float[] { 1, 3 })).Forward(logits, target);
        double Nll(double a, double b, int t) { double lse = Math.Log(Math.Exp(a) + Math.Exp(b)); return lse - (t == 0 ? a : b); }
        double expected = (3 * Nll(1, 2, 1) + 1 * Nll(0.5, 0.1, 0) + 3 * Nll(-1, 3, 1) + 1 * Nll(2, 2, 0)) / (3 + 1 + 3 + 1);
        Assert.Equal(expected, loss.Item<double>(), 1e-5);
    }
}
