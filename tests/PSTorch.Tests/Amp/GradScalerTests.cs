using PSTorch.Amp;
using PSTorch.Backends;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;
using F = PSTorch.NN.Functional;

namespace PSTorch.Tests.Amp;

/// <summary>torch.amp.GradScaler on the CPU, and the device kernels behind it (the CPU's and the composed ones CUDA uses).</summary>
public class GradScalerTests
{
    static Parameter Param(params float[] values) => new(Torch.NewTensor(values));

    static (Parameter P, SGD Optimizer) WithGrad(params float[] grad)
    {
        var p = Param(new float[grad.Length]);
        p.Grad = Torch.NewTensor(grad);
        return (p, new SGD([p], lr: 1));
    }

    [Fact]
    public void Scale_MultipliesByTheInitialScale()
    {
        var scaler = new GradScaler("cpu", initScale: 1024);
        Assert.Equal(1024, scaler.GetScale());
        var scaled = scaler.Scale(Torch.NewTensor(new[] { 0.5f, -2f }).RequiresGrad_());
        Assert.Equal([512f, -2048f], scaled.ToArray<float>());
        Assert.Equal("MulBackward0", scaled.GradFn!.Name);
    }

    [Fact]
    public void Unscale_DividesTheGradientsInPlace_AndStepUsesThem()
    {
        var scaler = new GradScaler("cpu", initScale: 8);
        var (p, sgd) = WithGrad(8, -16, 4);
        scaler.Scale(Torch.NewTensor(1f));
        scaler.Unscale_(sgd);
        Assert.Equal([1f, -2f, 0.5f], p.Grad!.ToArray<float>());
        Assert.True(scaler.Step(sgd));
        Assert.Equal([-1f, 2f, -0.5f], p.ToArray<float>());
        scaler.Update();
        Assert.Equal(8, scaler.GetScale());
    }

    [Fact]
    public void UnscaleTwice_OrAfterStep_FailsWithPyTorchsMessages()
    {
        var scaler = new GradScaler("cpu");
        var (_, sgd) = WithGrad(1, 2);
        scaler.Scale(Torch.NewTensor(1f));
        scaler.Unscale_(sgd);
        Assert.Equal("unscale_() has already been called on this optimizer since the last update().",
            Assert.Throws<InvalidOperationException>(() => scaler.Unscale_(sgd)).Message);
        scaler.Step(sgd);
        Assert.Equal("unscale_() is being called after step().", Assert.Throws<InvalidOperationException>(() => scaler.Unscale_(sgd)).Message);
        Assert.Equal("step() has already been called since the last update().", Assert.Throws<InvalidOperationException>(() => scaler.Step(sgd)).Message);
        scaler.Update();
        scaler.Unscale_(sgd);  // a new iteration
    }

    [Fact]
    public void StepBeforeScale_Fails()
    {
        var (_, sgd) = WithGrad(1);
        var e = Assert.Throws<InvalidOperationException>(() => new GradScaler("cpu").Step(sgd));
        Assert.StartsWith("Attempted step but _scale is None.", e.Message);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void NonFiniteGradient_SkipsTheStep_AndBacksOff(float bad)
    {
        var scaler = new GradScaler("cpu", initScale: 64, backoffFactor: 0.25);
        var (p, sgd) = WithGrad(1, bad, 3);
        scaler.Scale(Torch.NewTensor(1f));
        Assert.False(scaler.Step(sgd));
        Assert.Equal([0f, 0f, 0f], p.ToArray<float>());
        scaler.Update();
        Assert.Equal(16, scaler.GetScale());
        Assert.Equal(0L, scaler.StateDict()["_growth_tracker"]);
    }

    [Fact]
    public void Scale_GrowsAfterGrowthIntervalGoodSteps_AndABadStepRestartsTheCount()
    {
        var scaler = new GradScaler("cpu", initScale: 4, growthFactor: 3, growthInterval: 3);
        var (p, sgd) = WithGrad(1);
        void Iteration(float grad)
        {
            p.Grad = Torch.NewTensor(new[] { grad });
            scaler.Scale(Torch.NewTensor(1f));
            scaler.Step(sgd);
            scaler.Update();
        }
        Iteration(1);
        Iteration(1);
        Assert.Equal(4, scaler.GetScale());
        Assert.Equal(2L, scaler.StateDict()["_growth_tracker"]);
        Iteration(float.NaN);
        Assert.Equal(2, scaler.GetScale());
        Iteration(1);
        Iteration(1);
        Assert.Equal(2, scaler.GetScale());
        Iteration(1);
        Assert.Equal(6, scaler.GetScale());
        Assert.Equal(0L, scaler.StateDict()["_growth_tracker"]);
    }

    [Fact]
    public void Update_WithANewScale_SetsIt()
    {
        var scaler = new GradScaler("cpu");
        var (_, sgd) = WithGrad(1);
        scaler.Scale(Torch.NewTensor(1f));
        scaler.Step(sgd);
        scaler.Update(128);
        Assert.Equal(128, scaler.GetScale());
        scaler.Update(Torch.NewTensor(32f));
        Assert.Equal(32, scaler.GetScale());
        Assert.Throws<ArgumentException>(() => scaler.Update(Torch.NewTensor(new[] { 1f, 2f })));
    }

    [Fact]
    public void UpdateWithoutAnyInfCheck_Fails()
    {
        var scaler = new GradScaler("cpu");
        scaler.Scale(Torch.NewTensor(1f));
        Assert.Equal("No inf checks were recorded prior to update.", Assert.Throws<InvalidOperationException>(() => scaler.Update()).Message);
    }

    [Fact]
    public void StateDict_RoundTrips()
    {
        var scaler = new GradScaler("cpu", initScale: 256, growthFactor: 4, backoffFactor: 0.125, growthInterval: 5);
        var (_, sgd) = WithGrad(1);
        scaler.Scale(Torch.NewTensor(1f));
        scaler.Step(sgd);
        scaler.Update();
        var state = scaler.StateDict();
        Assert.Equal(256.0, state["scale"]);
        Assert.Equal(4.0, state["growth_factor"]);
        Assert.Equal(0.125, state["backoff_factor"]);
        Assert.Equal(5L, state["growth_interval"]);
        Assert.Equal(1L, state["_growth_tracker"]);

        var fresh = new GradScaler("cpu");
        fresh.LoadStateDict(state);
        Assert.Equal(state, fresh.StateDict());
        fresh.Scale(Torch.NewTensor(1f));  // the loaded values seed the lazily created tensors
        Assert.Equal(state, fresh.StateDict());

        var running = new GradScaler("cpu");
        running.Scale(Torch.NewTensor(1f));
        running.LoadStateDict(state);  // and overwrite existing ones
        Assert.Equal(state, running.StateDict());
    }

    [Fact]
    public void Disabled_PassesThrough()
    {
        var scaler = new GradScaler("cpu", enabled: false);
        var loss = Torch.NewTensor(3f);
        Assert.Same(loss, scaler.Scale(loss));
        Assert.Equal(1.0, scaler.GetScale());
        var (p, sgd) = WithGrad(float.NaN);
        Assert.True(scaler.Step(sgd));
        Assert.True(float.IsNaN(p.ToArray<float>()[0]));
        scaler.Update();
        Assert.Empty(scaler.StateDict());
        Assert.Equal("The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.",
            Assert.Throws<InvalidOperationException>(() => new GradScaler("cpu").LoadStateDict(scaler.StateDict())).Message);
    }

    [Fact]
    public void InvalidFactors_AreRefused()
    {
        Assert.Contains("growth factor must be > 1.0", Assert.Throws<ArgumentException>(() => new GradScaler("cpu", growthFactor: 1)).Message);
        Assert.Contains("backoff factor must be < 1.0", Assert.Throws<ArgumentException>(() => new GradScaler("cpu", backoffFactor: 1)).Message);
    }

    // ---------------------------------------------------------------- the kernels

    public static TheoryData<bool> Kernels => new() { false, true };

    static void CheckAndUnscale(bool composed, IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale)
    {
        var backend = Backend.For(Device.Cpu);
        if (composed) ComposedAmpKernels.NonFiniteCheckAndUnscale(backend, grads, foundInf, invScale);
        else backend.NonFiniteCheckAndUnscale(grads, foundInf, invScale);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void NonFiniteCheckAndUnscale_ScalesEveryLayoutAndDType_AndFlagsOnlyNonFiniteValues(bool composed)
    {
        var big = Torch.Randn([1000], generator: new Generator().ManualSeed(3));  // vector body and tail
        var strided = Torch.Randn([6, 5], DType.Float64, generator: new Generator().ManualSeed(4)).T();
        var half = Torch.NewTensor(new[] { 2f, -4f, 6f }).BFloat16();
        var grads = new[] { big.Clone(), strided.Clone(), half.Clone(), Torch.Empty([0]) };
        var foundInf = Torch.Zeros([]);
        CheckAndUnscale(composed, grads, foundInf, Torch.Full([], 0.5));
        Assert.Equal(0f, foundInf.Item<float>());
        Assert.True(grads[0].Equal(big * 0.5));
        Assert.True(grads[1].Equal(strided * 0.5));
        Assert.Equal([1f, -2f, 3f], grads[2].Float().ToArray<float>());

        foreach (var bad in new[] { float.PositiveInfinity, float.NaN })
        {
            var values = big.ToArray<float>();
            values[997] = bad;
            var withBad = Torch.NewTensor(values);
            var flag = Torch.Zeros([]);
            CheckAndUnscale(composed, [Torch.Ones(3), withBad], flag, Torch.Full([], 0.5));
            Assert.Equal(1f, flag.Item<float>());
        }
        var kept = Torch.Ones([]);  // a set flag stays set
        CheckAndUnscale(composed, [Torch.Ones(2)], kept, Torch.Full([], 1.0));
        Assert.Equal(1f, kept.Item<float>());
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void NonFiniteCheckAndUnscale_ScalesHalfTypesInFloat32AndRoundsOnce(bool composed)
    {
        // 1 / 10 is no power of two: rounding it to bfloat16 first (1/10 -> 0.10009765625) changes some products' last bit
        var values = Torch.Randn([4096], generator: new Generator().ManualSeed(5)).BFloat16();
        var grad = values.Clone();
        using var invScale = Torch.Full([], 0.1);
        CheckAndUnscale(composed, [grad], Torch.Zeros([]), invScale);
        var expected = (values.Float() * invScale).BFloat16();
        Assert.True(grad.Equal(expected));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void UpdateScale_BacksOffGrowsAndCounts(bool composed)
    {
        (float Scale, int Tracker) Update(float scale, int tracker, float foundInf, double growth = 2, long interval = 3)
        {
            var s = Torch.Full([], scale);
            var t = Torch.Full([], tracker, DType.Int32);
            var f = Torch.Full([], foundInf);
            var backend = Backend.For(Device.Cpu);
            if (composed) ComposedAmpKernels.UpdateScale(backend, s, t, f, growth, 0.5, interval);
            else backend.UpdateScale(s, t, f, growth, 0.5, interval);
            return (s.Item<float>(), t.Item<int>());
        }
        Assert.Equal((8f, 0), Update(16, 2, 1));
        Assert.Equal((16f, 1), Update(16, 0, 0));
        Assert.Equal((32f, 0), Update(16, 2, 0));
        Assert.Equal((3e38f, 0), Update(3e38f, 2, 0));  // growing would overflow: the scale stays, the count restarts
        Assert.Equal((8f, 0), Update(16, 2, 2));  // any nonzero flag (summed over devices) backs off
    }

    [Fact]
    public void MixedPrecisionTraining_WithAutocastAndGradScaler_Converges()
    {
        Torch.ManualSeed(11);
        var model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
        var optimizer = new SGD(model.Parameters(), lr: 0.1, momentum: 0.9);
        var scaler = new GradScaler("cpu");
        var x = Torch.Randn([64, 4], generator: new Generator().ManualSeed(12));
        var target = x.Narrow(1, 0, 3).Argmax(1);  // a learnable rule
        var losses = new List<float>();
        for (int step = 0; step < 60; step++)
        {
            optimizer.ZeroGrad();
            Tensor loss;
            using (Torch.Autocast("cpu"))
            {
                var output = model.Call(x);
                Assert.Equal(DType.BFloat16, output.DType);
                loss = F.CrossEntropy(output, target);
            }
            scaler.Scale(loss).Backward();
            Assert.All(model.Parameters(), p => Assert.Equal(DType.Float32, p.Grad!.DType));
            Assert.True(scaler.Step(optimizer));
            scaler.Update();
            losses.Add(loss.Item<float>());
        }
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]} -> {losses[^1]}");
        Assert.Equal(65536, scaler.GetScale());
    }
}
