using PSTorch.Data;

namespace PSTorch.Tests.Cuda;

/// <summary>A dataset kept resident in GPU memory (a TensorDataset of CUDA tensors): batches are gathered on the device.</summary>
[Trait("Category", "Cuda")]
public sealed class CudaResidentDataTests
{
    [Fact]
    public void ShuffledBatchesOfAResidentDatasetEqualThoseOfTheSameDataOnTheCpu()
    {
        DeviceBuffer.RequireDevice();
        var gpu = Device.Parse("cuda:0");
        var images = Torch.Randn([37, 1, 4, 4], generator: new Generator(50));
        var labels = Torch.Randint(0, 10, [37], generator: new Generator(51));
        var onCpu = new DataLoader(new TensorDataset(images, labels), batchSize: 8, shuffle: true, seed: 3).ToList();
        var resident = new DataLoader(new TensorDataset(images.To(gpu), labels.To(gpu)), batchSize: 8, shuffle: true, seed: 3).ToList();
        Assert.Equal(onCpu.Count, resident.Count);
        for (int i = 0; i < onCpu.Count; i++)
        {
            var (x, y) = ((Tensor)resident[i].Inputs, (Tensor)resident[i].Targets!);
            Assert.True(x.IsCuda && y.IsCuda);
            Assert.Equal(((Tensor)onCpu[i].Inputs).ToArray<float>(), x.Cpu().ToArray<float>());
            Assert.Equal(((Tensor)onCpu[i].Targets!).ToArray<long>(), y.Cpu().ToArray<long>());
        }
    }
}
