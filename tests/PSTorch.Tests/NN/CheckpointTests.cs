using PSTorch;
using PSTorch.Memory;
using PSTorch.NN;
using PSTorch.NN.Utils;
using Xunit;

namespace PSTorch.Tests.NN;

/// <summary>Uses the default generator and measures live tensor memory, so it runs alone (the DefaultGenerator collection).</summary>
[Collection("DefaultGenerator")]
public class CheckpointTests
{
    static Dictionary<string, float[]> Grads(Module model) =>
        model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToArray<float>());

    [Fact]
    public void GradientsMatchTheUncheckpointedModelIncludingDropout()
    {
        Torch.ManualSeed(3);
        var model = new Sequential(new Linear(8, 16), new Tanh(), new Dropout(0.5), new Linear(16, 4));
        var x = Torch.Randn(5, 8).RequiresGrad_();

        Torch.ManualSeed(11);
        var plain = model.Call(x);
        (plain * plain).Sum().Backward();
        var expected = Grads(model);
        var expectedInputGrad = x.Grad!.ToArray<float>();
        var rngAfterPlain = Torch.GetRngState();

        model.ZeroGrad();
        x.Grad = null;
        Torch.ManualSeed(11);
        var checkpointed = Checkpoint.Apply(inputs => model.Call(inputs[0]), x);
        Assert.Equal("CheckpointBackward", checkpointed.GradFn!.Name);
        Assert.Equal(plain.ToArray<float>(), checkpointed.ToArray<float>());
        (checkpointed * checkpointed).Sum().Backward();

        foreach (var (name, grad) in expected) Assert.Equal(grad, model.NamedParameters().First(p => p.Name == name).Parameter.Grad!.ToArray<float>());
        Assert.Equal(expectedInputGrad, x.Grad!.ToArray<float>());
        // Recomputing restored the generator afterwards: later random numbers are those of the plain run.
        Assert.Equal(rngAfterPlain, Torch.GetRngState());
    }

    [Fact]
    public void ParametersGetGradientsWhenNoInputRequiresGrad()
    {
        Torch.ManualSeed(5);
        var layer = new Linear(3, 2);
        var x = Torch.Randn(4, 3);
        layer.Call(x).Sum().Backward();
        var expected = layer.Weight.Grad!.ToArray<float>();
        layer.ZeroGrad();
        var y = Checkpoint.Apply(inputs => layer.Call(inputs[0]), x);
        Assert.True(y.RequiresGrad);
        y.Sum().Backward();
        Assert.Equal(expected, layer.Weight.Grad!.ToArray<float>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void SeveralInputsPassGradCheck()
    {
        var a = Torch.Randn([3, 2], DType.Float64, generator: new Generator(1)).RequiresGrad_();
        var b = Torch.Randn([3, 2], DType.Float64, generator: new Generator(2)).RequiresGrad_();
        Assert.True(Torch.GradCheck(ins => Checkpoint.Apply(t => t[0] * t[1] + t[0].Sin() * t[1].Exp(), ins), [a, b]));
    }

    static long LiveBytes()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return CpuAllocator.AllocatedBytes;
    }

    [Fact]
    public void CheckpointingKeepsFarLessMemoryAfterForward()
    {
        Torch.ManualSeed(7);
        var layers = new List<Module>();
        for (int i = 0; i < 16; i++) { layers.Add(new Linear(256, 256)); layers.Add(new Tanh()); }
        var model = new Sequential(layers.ToArray());
        var x = Torch.Randn(128, 256).RequiresGrad_();

        long before = LiveBytes();
        var plain = model.Call(x);
        long plainBytes = LiveBytes() - before;
        plain.Sum().Backward();
        var expected = model.Parameters().First().Grad!.ToArray<float>();
        plain = null!;
        model.ZeroGrad();
        x.Grad = null;

        before = LiveBytes();
        var checkpointed = Checkpoint.Apply(inputs => model.Call(inputs[0]), x);
        long checkpointedBytes = LiveBytes() - before;
        checkpointed.Sum().Backward();

        // Plain keeps every layer's input and tanh output (16 x 2 x 128 KiB); checkpointing keeps the output alone.
        long activation = 128 * 256 * sizeof(float);
        Assert.True(plainBytes >= 16 * activation, $"plain forward kept {plainBytes} bytes");
        Assert.True(checkpointedBytes <= 2 * activation, $"checkpointed forward kept {checkpointedBytes} bytes (plain {plainBytes})");
        Assert.Equal(expected, model.Parameters().First().Grad!.ToArray<float>());
        GC.KeepAlive(checkpointed);
    }
}
