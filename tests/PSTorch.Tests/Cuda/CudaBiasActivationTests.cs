using PSTorch.NN;
using PSTorch.Ops;
using PSTorch.Tests.NN;

namespace PSTorch.Tests.Cuda;

/// <summary>
/// The fused bias add + relu/GELU on CUDA (pst_bias_activation and its backward, the bias gradient through pst_reduce)
/// against the CPU op, and Sequential's fusion of Linear/Conv1d/Conv2d + ReLU/GELU against the same model on the CPU.
/// Tolerances, relative to each tensor's largest magnitude: float64 1e-12 (values and pre gradients) and 1e-10 (the
/// bias sums); float32 1e-6 and 1e-5 (the device's erf/tanh and sum order differ from the CPU's); float16 2e-3 and
/// bfloat16 1.6e-2 (two roundings to the half type: the sum and the result) for values and gradients alike.
/// </summary>
[Trait("Category", "Cuda")]
public sealed class CudaBiasActivationTests
{
    static readonly Device Gpu = Device.Parse("cuda:0");

    static void Close(Tensor expected, Tensor actual, double rtol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.Detach().Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        var a = actual.Detach().Cpu().To(DType.Float64).Contiguous().ToArray<double>();
        double scale = Math.Max(1, e.Max(Math.Abs));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= rtol * scale, $"{what}, element {i}: expected {e[i]}, got {a[i]}");
    }

    static (double Values, double Sums) Tolerance(DType dtype) => dtype switch
    {
        DType.Float64 => (1e-12, 1e-10),
        DType.Float32 => (1e-6, 1e-5),
        DType.Float16 => (2e-3, 2e-3),
        _ => (1.6e-2, 1.6e-2),
    };

    public static TheoryData<string, DType, long[], int> Cases()
    {
        var data = new TheoryData<string, DType, long[], int>();
        foreach (var activation in new[] { "relu", "gelu", "tanh" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16 })
            {
                data.Add(activation, dtype, [33, 70], 1);      // Linear
                data.Add(activation, dtype, [3, 6, 5, 7], 1);  // Conv2d
                data.Add(activation, dtype, [5, 4, 31], 1);    // Conv1d
            }
        return data;
    }

    /// <summary>
    /// The CUDA op against the CPU op: float32/float64 directly; the half types against the CPU in float32 of the
    /// half inputs, their sum rounded to the half type as the kernel rounds it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void TheCudaOpMatchesTheCpuOp(string activation, DType dtype, long[] shape, int biasDim)
    {
        DeviceBuffer.RequireDevice();
        var kind = BiasActivationTests.Kind(activation);
        var generator = new Generator(21);
        var pre = (Torch.Randn(shape, generator: generator) * 2).To(dtype);
        var bias = Torch.Randn([shape[biasDim]], generator: generator).To(dtype);
        var grad = Torch.Randn(shape, generator: generator).To(dtype);

        var gpuPre = pre.To(Gpu).RequiresGrad_();
        var gpuBias = bias.To(Gpu).RequiresGrad_();
        var gpuOut = BiasActivation.Apply(gpuPre, gpuBias, biasDim, kind);
        Assert.Equal(dtype, gpuOut.DType);
        Assert.Equal(activation == "relu" ? "ReluBackward0" : "GeluBackward0", gpuOut.GradFn!.Name);
        gpuOut.Backward(grad.To(Gpu));

        bool half = dtype is DType.Float16 or DType.BFloat16;
        Tensor expectedOut, expectedGradPre, expectedGradBias;
        if (!half)
        {
            var cpuPre = pre.Clone().RequiresGrad_();
            var cpuBias = bias.Clone().RequiresGrad_();
            expectedOut = BiasActivation.Apply(cpuPre, cpuBias, biasDim, kind);
            expectedOut.Backward(grad);
            (expectedGradPre, expectedGradBias) = (cpuPre.Grad!, cpuBias.Grad!);
        }
        else
        {
            var viewShape = Enumerable.Repeat(1L, shape.Length - biasDim).ToArray();
            viewShape[0] = shape[biasDim];
            var sum = (pre.To(DType.Float32) + bias.To(DType.Float32).View(viewShape)).To(dtype).To(DType.Float32).RequiresGrad_();
            expectedOut = BiasActivation.Apply(sum, null, biasDim, kind);
            expectedOut.Backward(grad.To(DType.Float32));
            expectedGradPre = sum.Grad!;
            var reduced = Enumerable.Range(0, shape.Length).Where(d => d != biasDim).ToArray();
            expectedGradBias = sum.Grad!.To(dtype).To(DType.Float32).Sum(reduced);
        }
        var (values, sums) = Tolerance(dtype);
        Close(expectedOut, gpuOut, values, "output");
        Close(expectedGradPre, gpuPre.Grad!, values, "pre gradient");
        Close(expectedGradBias, gpuBias.Grad!, sums, "bias gradient");
        Assert.Equal(dtype, gpuBias.Grad!.DType);
    }

    [Fact]
    public void NoBiasAndEmptyTensorsOnCuda()
    {
        DeviceBuffer.RequireDevice();
        var pre = Torch.Randn([4, 9], generator: new Generator(22));
        Close(Functional.Gelu(pre), BiasActivation.Apply(pre.To(Gpu), null, 1, BiasActivationKind.Gelu), 1e-6, "gelu without bias");
        var empty = Torch.Empty([0, 3], device: Gpu).RequiresGrad_();
        var bias = Torch.Ones([3], device: Gpu).RequiresGrad_();
        BiasActivation.Apply(empty, bias, 1, BiasActivationKind.Relu).Sum().Backward();
        Assert.Equal([0f, 0, 0], bias.Grad!.Cpu().ToArray<float>());
    }

    static Sequential Model(DType dtype)
    {
        Torch.ManualSeed(23);
        return new Sequential(
            new Linear(10, 16, dtype: dtype), new ReLU(inplace: true), new Unflatten(1, 1, 4, 4),
            new Conv2d(1, 3, 3, padding: 1L, dtype: dtype), new GELU(), new Flatten(),
            new Linear(48, 12, dtype: dtype), new GELU("tanh"), new Unflatten(1, 3, 4),
            new Conv1d(3, 2, 2, dtype: dtype), new ReLU());
    }

    [Theory]
    [InlineData(DType.Float32, 1e-5, 1e-4)]
    [InlineData(DType.Float64, 1e-12, 1e-10)]
    public void SequentialFusesOnCudaAndMatchesTheCpu(DType dtype, double valueTolerance, double gradientTolerance)
    {
        DeviceBuffer.RequireDevice();
        var x = Torch.Randn([6, 10], dtype, generator: new Generator(24));
        var cpuModel = Model(dtype);
        var gpuModel = Model(dtype);
        gpuModel.To(Gpu);

        var cpuOut = cpuModel.Call(x);
        var gpuOut = gpuModel.Call(x.To(Gpu));
        Close(cpuOut, gpuOut, valueTolerance, "model output");
        // fused: the activation's node has the bias-free layer output and the bias as inputs; unfused only the layer's output
        Assert.Equal("ReluBackward0", gpuOut.GradFn!.Name);
        Assert.Equal(2, gpuOut.GradFn.NextFunctions.Count);
        Assert.Single(cpuOut.GradFn!.NextFunctions);

        cpuOut.Square().Sum().Backward();
        gpuOut.Square().Sum().Backward();
        var cpuParameters = cpuModel.NamedParameters().ToArray();
        var gpuParameters = gpuModel.NamedParameters().ToArray();
        for (int i = 0; i < cpuParameters.Length; i++)
            Close(cpuParameters[i].Parameter.Grad!, gpuParameters[i].Parameter.Grad!, gradientTolerance, $"gradient of {cpuParameters[i].Name}");
    }

    [Fact]
    public void GeluAfterTheLayerIsNamedGeluBackward()
    {
        DeviceBuffer.RequireDevice();
        Torch.ManualSeed(25);
        var model = new Sequential(new Conv1d(2, 4, 3), new GELU());
        model.To(Gpu);
        var y = model.Call(Torch.Randn([3, 2, 9]).To(Gpu).RequiresGrad_());
        Assert.Equal("GeluBackward0", y.GradFn!.Name);
        Assert.Equal(2, y.GradFn.NextFunctions.Count);
    }

    [Fact]
    public void AForwardHookOnTheLayerDisablesTheFusion()
    {
        DeviceBuffer.RequireDevice();
        var model = Model(DType.Float32);
        model.To(Gpu);
        var x = Torch.Randn([6, 10], generator: new Generator(26)).To(Gpu);
        var fused = model.Call(x);

        var linear = (Linear)model[0];
        Tensor? seen = null;
        string? seenGradFn = null;
        // the ReLU after the layer works in place: keep what the hook saw before it runs
        using (linear.RegisterForwardHook((_, _, output) => { seen = output.Detach().Clone(); seenGradFn = output.GradFn?.Name; return null; }))
        {
            var hooked = model.Call(x);
            Assert.NotNull(seen);
            // the hook sees the layer's output with its bias
            Assert.Equal("AddmmBackward0", seenGradFn);
            using (Torch.NoGrad()) Close(Functional.Linear(x, linear.Weight, linear.Bias), seen!, 1e-6, "hooked layer output");
            // the rest of the model still fuses, and the output agrees
            Assert.Equal(2, hooked.GradFn!.NextFunctions.Count);
            Close(fused, hooked, 1e-5, "output with the hook");
        }
        seen = null;
        model.Call(x);
        Assert.Null(seen);
    }

    [Fact]
    public void AutocastKeepsTheUnfusedOps()
    {
        DeviceBuffer.RequireDevice();
        Torch.ManualSeed(27);
        var model = new Sequential(new Linear(8, 5), new ReLU());
        model.To(Gpu);
        var x = Torch.Randn([4, 8]).To(Gpu);
        using (PSTorch.Amp.AutocastMode.Enter(DeviceType.Cuda))
        {
            var y = model.Call(x);
            Assert.Equal(DType.Float16, y.DType);
            Assert.Equal("AddmmBackward0", Assert.Single(y.GradFn!.NextFunctions).Function!.Name);
        }
        Assert.Equal(2, model.Call(x).GradFn!.NextFunctions.Count);
    }
}
