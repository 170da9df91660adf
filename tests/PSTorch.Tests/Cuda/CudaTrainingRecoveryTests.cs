using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;

namespace PSTorch.Tests.Cuda;

/// <summary>Issue 7: an out-of-memory error in a training step leaves the model and optimizer usable (retry with a smaller batch).</summary>
[Trait("Category", "Cuda")]
public sealed class CudaTrainingRecoveryTests
{
    const long Hidden = 1L << 20;   // 4 MiB of activations per sample after fc1

    static TrainerOptions Options(Module model, Optimizer optimizer, int samples, int batchSize) => new()
    {
        Model = model, Loss = new CrossEntropyLoss(), Optimizer = optimizer, Epochs = 1, Device = Device.Parse("cuda:0"),
        TrainLoader = new DataLoader(new TensorDataset(Torch.Randn([samples, 16], generator: new Generator(1)),
            Torch.Randint(0, 4, [samples], generator: new Generator(2))), batchSize),
    };

    [Fact]
    public void AnOutOfMemoryStepLeavesTheModelAndOptimizerUsableForASmallerBatch()
    {
        DeviceBuffer.RequireDevice();
        Torch.ManualSeed(3);
        var model = new Sequential([("fc1", new Linear(16, Hidden)), ("relu", new ReLU()), ("fc2", new Linear(Hidden, 4))]);
        model.To(Device.Parse("cuda:0"));
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        // one batch whose fc1 output alone needs more than the whole device
        int tooMany = (int)(CudaRuntime.Devices[0].TotalMemory / (Hidden * 4) * 5 / 4);
        var before = model.Parameters().Select(p => p.Detach().Cpu()).ToArray();
        Assert.Throws<CudaOutOfMemoryException>(() => new Trainer(Options(model, optimizer, tooMany, tooMany)).Fit());
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i].ToArray<float>(), model.Parameters().ElementAt(i).Detach().Cpu().ToArray<float>());

        var run = new Trainer(Options(model, optimizer, 64, 8)).Fit();
        Assert.True(double.IsFinite(run.History[0].TrainLoss));
        Assert.False(before[0].Equal(model.Parameters().First().Detach().Cpu()));   // the optimizer stepped
        long settled = Torch.Cuda.MemoryAllocated();
        new Trainer(Options(model, optimizer, 64, 8)).Fit();
        Assert.Equal(settled, Torch.Cuda.MemoryAllocated());
    }
}
