using PSTorch;
using PSTorch.NN;
using PSTorch.Optim;
using Xunit;

namespace PSTorch.Tests.Optim;

/// <summary>
/// The fused step kernels (contiguous parameters) against the formula-level updates (strided parameters) on tensors
/// large enough to be split over threads and to have a vector tail.
/// </summary>
public class FusedStepTests
{
    const int Rows = 301, Cols = 257;

    static (Parameter Contiguous, Parameter Strided) Pair(DType dtype, int seed)
    {
        var data = Torch.Randn([Rows, Cols], DType.Float64, generator: new Generator().ManualSeed(seed)).To(dtype);
        var strided = new Parameter(data.T().Contiguous().T());
        Assert.False(strided.IsContiguous());
        return (new Parameter(data.Clone()), strided);
    }

    public static TheoryData<string, DType> Optimizers => new()
    {
        { "adam", DType.Float32 }, { "adam", DType.Float64 }, { "adamw-amsgrad", DType.Float32 }, { "adam-maximize-wd", DType.Float64 },
        { "sgd-nesterov", DType.Float32 }, { "sgd-dampening-wd", DType.Float64 }, { "sgd-plain-maximize", DType.Float32 },
    };

    static Optimizer Create(string name, Parameter p) => name switch
    {
        "adam" => new Adam([p], lr: 0.01),
        "adamw-amsgrad" => new AdamW([p], lr: 0.01, betas: (0.9, 0.6), amsgrad: true),
        "adam-maximize-wd" => new Adam([p], lr: 0.01, weightDecay: 0.1, maximize: true),
        "sgd-nesterov" => new SGD([p], lr: 0.01, momentum: 0.9, nesterov: true),
        "sgd-dampening-wd" => new SGD([p], lr: 0.01, momentum: 0.9, dampening: 0.2, weightDecay: 0.05),
        "sgd-plain-maximize" => new SGD([p], lr: 0.01, maximize: true),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void FusedKernelMatchesTheFormulas(string name, DType dtype)
    {
        var (fused, strided) = Pair(dtype, 7);
        Optimizer a = Create(name, fused), b = Create(name, strided);
        for (int step = 0; step < 4; step++)
        {
            var grad = Torch.Randn([Rows, Cols], DType.Float64, generator: new Generator().ManualSeed(100 + step)).To(dtype);
            fused.Grad = grad;
            strided.Grad = grad.T().Contiguous().T();
            a.Step();
            b.Step();
        }
        double[] x = fused.To(DType.Float64).ToArray<double>(), y = strided.To(DType.Float64).ToArray<double>();
        double tolerance = dtype == DType.Float32 ? 1e-5 : 1e-12;
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(x[i] - y[i]) <= tolerance * (1 + Math.Abs(y[i])), $"element {i}: fused {x[i]} vs formulas {y[i]}");
    }

    [Fact]
    public void FusedStepBumpsTheParametersVersion()
    {
        var p = new Parameter(Torch.Ones(4));
        var saved = p * p; // saves p for backward
        p.Grad = Torch.Ones(4);
        new Adam([p]).Step();
        var e = Assert.Throws<InvalidOperationException>(() => saved.Sum().Backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void SteadyStateAdamStepAllocatesAlmostNothing()
    {
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var parameters = model.Parameters().ToList();
        foreach (var p in parameters) p.Grad = Torch.OnesLike(p);
        var opt = new Adam(parameters, lr: 1e-3);
        // Past the JIT's tiering (its one-time allocations are not the step's).
        for (int i = 0; i < 50; i++) opt.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) opt.Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // Only the boxed step count of each parameter (24 bytes) is allocated; the formula-level update allocates ~17 KB per parameter.
        Assert.True(perStep <= 48 * parameters.Count, $"{perStep} bytes allocated per step");
    }
}
