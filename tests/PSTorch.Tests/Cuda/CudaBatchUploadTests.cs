using PSTorch.Data;
using PSTorch.NN;
using PSTorch.Optim;
using PSTorch.Training;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// Batches uploaded on the copy stream (the training loop's one-batch-ahead prefetch), the pinned-memory cache, and a
/// training run with pinned batches that reads nothing back inside its steps, against the same run on the CPU.
/// </summary>
[Trait("Category", "Cuda")]
public sealed unsafe class CudaBatchUploadTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    [Fact]
    public void UploadedBatchesHoldTheLoadersValuesWhenTheKernelsReadThem()
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([64, 33], generator: new Generator(1));
        var y = Torch.Randint(0, 10, [64], generator: new Generator(2));
        // pinned, pageable, and a non-contiguous input (a transposed view, made contiguous on the host first)
        var cases = new (Tensor Input, Tensor Target)[] { (x.PinMemory(), y.PinMemory()), (x, y), (x.T(), y[..33]) };
        var batches = cases.Select((c, i) => new Batch(i, new object[] { c.Input, c.Target }, [i], 0)).ToList();
        using var prefetcher = new BatchPrefetcher(batches.GetEnumerator(), Gpu, ownsLoaded: false);
        foreach (var (input, target) in cases)
        {
            Assert.True(prefetcher.TryTake(out var batch));
            using (batch)
            {
                Assert.True(batch.Input.IsCuda && batch.Target!.IsCuda);
                // a kernel on the legacy stream right after the take: it must see the uploaded values
                using var doubled = batch.Input * 2;
                Assert.Equal(input.Contiguous().Mul(2).ToArray<float>(), doubled.Cpu().ToArray<float>());
                Assert.Equal(target.ToArray<long>(), batch.Target.Cpu().ToArray<long>());
            }
        }
        Assert.False(prefetcher.TryTake(out _));
    }

    [Fact]
    public void PinnedBlocksAreReusedInsteadOfAllocatedAgain()
    {
        DeviceBuffer.RequireDevice();
        var first = Torch.Ones([1000, 7]).PinMemory();
        var address = (IntPtr)first.UntypedStorage.Pointer;
        first.Dispose();
        var second = Torch.Zeros([7, 1000]).PinMemory();
        Assert.Equal(address, (IntPtr)second.UntypedStorage.Pointer);
        Assert.All(second.ToArray<float>(), v => Assert.Equal(0f, v));
        second.Dispose();
        Torch.Cuda.EmptyCache();
        Assert.Equal(0, PSTorch.Memory.PinnedAllocator.CachedBytes);
    }

    static (List<double> Losses, float[][] Weights, List<long> Allocated) Fit(Device device, bool pinned)
    {
        Torch.ManualSeed(21);
        var model = new Sequential([("fc1", new Linear(12, 32)), ("relu", new ReLU()), ("fc2", new Linear(32, 4))]);
        var g = new Generator(22);
        var data = new TensorDataset(Torch.Randn([96, 12], generator: g), Torch.Randint(0, 4, [96], generator: g));
        var loader = new DataLoader(data, batchSize: 16, shuffle: true, seed: 5, numWorkers: pinned ? 2 : 0, pinMemory: pinned);
        var trainer = new Trainer(new TrainerOptions
        {
            Model = model, Loss = new CrossEntropyLoss(), Optimizer = new Adam(model.Parameters(), lr: 1e-2), TrainLoader = loader,
            Epochs = 4, Device = device,
        });
        var losses = new List<double>();
        var allocated = new List<long>();
        trainer.BatchCompleted += (_, p) => losses.Add(p.Loss);
        trainer.EpochCompleted += (_, _) => { if (device.Type == DeviceType.Cuda) allocated.Add(Torch.Cuda.MemoryAllocated()); };
        trainer.Fit(TestContext.Current.CancellationToken);
        var weights = model.Parameters().Select(p => p.Detach().Cpu().ToArray<float>()).ToArray();
        return (losses, weights, allocated);
    }

    [Fact]
    public void TrainingWithPinnedPrefetchedBatchesMatchesTheCpuAndHoldsItsMemorySteady()
    {
        DeviceBuffer.RequireDevice();
        var (cpuLosses, cpuWeights, _) = Fit(Device.Cpu, pinned: false);
        var (gpuLosses, gpuWeights, allocated) = Fit(Gpu, pinned: true);
        Assert.Equal(cpuLosses.Count, gpuLosses.Count);
        for (int i = 0; i < cpuLosses.Count; i++) Assert.True(Math.Abs(cpuLosses[i] - gpuLosses[i]) <= 1e-4, $"step {i}: cpu {cpuLosses[i]}, cuda {gpuLosses[i]}");
        for (int i = 0; i < cpuWeights.Length; i++)
            for (int j = 0; j < cpuWeights[i].Length; j++) Assert.True(Math.Abs(cpuWeights[i][j] - gpuWeights[i][j]) <= 1e-3, $"parameter {i}[{j}]");
        Assert.All(allocated.Skip(1), a => Assert.Equal(allocated[1], a));
    }
}
