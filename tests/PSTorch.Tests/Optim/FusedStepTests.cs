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
        { "adagrad", DType.Float32 }, { "adagrad", DType.Float64 }, { "adagrad-all", DType.Float32 }, { "adagrad-all", DType.Float64 },
        { "rmsprop", DType.Float32 }, { "rmsprop", DType.Float64 }, { "rmsprop-centered-wd", DType.Float32 }, { "rmsprop-momentum-maximize", DType.Float64 },
        { "rmsprop-all", DType.Float32 }, { "rmsprop-all", DType.Float64 },
    };

    static Optimizer Create(string name, Parameter p) => name switch
    {
        "adam" => new Adam([p], lr: 0.01),
        "adamw-amsgrad" => new AdamW([p], lr: 0.01, betas: (0.9, 0.6), amsgrad: true),
        "adam-maximize-wd" => new Adam([p], lr: 0.01, weightDecay: 0.1, maximize: true),
        "sgd-nesterov" => new SGD([p], lr: 0.01, momentum: 0.9, nesterov: true),
        "sgd-dampening-wd" => new SGD([p], lr: 0.01, momentum: 0.9, dampening: 0.2, weightDecay: 0.05),
        "sgd-plain-maximize" => new SGD([p], lr: 0.01, maximize: true),
        "adagrad" => new Adagrad([p], lr: 0.01),
        "adagrad-all" => new Adagrad([p], lr: 0.05, lrDecay: 0.3, weightDecay: 0.1, initialAccumulatorValue: 0.2, eps: 1e-3, maximize: true),
        "rmsprop" => new RMSprop([p], lr: 0.01),
        "rmsprop-centered-wd" => new RMSprop([p], lr: 0.01, alpha: 0.9, weightDecay: 0.05, centered: true),
        "rmsprop-momentum-maximize" => new RMSprop([p], lr: 0.01, eps: 1e-3, momentum: 0.8, maximize: true),
        "rmsprop-all" => new RMSprop([p], lr: 0.02, alpha: 0.8, eps: 1e-4, weightDecay: 0.1, momentum: 0.5, centered: true, maximize: true),
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

    static Optimizer CreateForGroup(string name, IEnumerable<Parameter> ps) => name switch
    {
        "adam" => new Adam(ps, lr: 0.01, weightDecay: 0.1),
        "adamw-amsgrad" => new AdamW(ps, lr: 0.01, betas: (0.9, 0.6), amsgrad: true),
        "sgd-nesterov" => new SGD(ps, lr: 0.01, momentum: 0.9, nesterov: true),
        "sgd-plain-maximize" => new SGD(ps, lr: 0.01, maximize: true),
        "adagrad-all" => new Adagrad(ps, lr: 0.05, lrDecay: 0.3, weightDecay: 0.1, initialAccumulatorValue: 0.2, eps: 1e-3, maximize: true),
        "rmsprop-all" => new RMSprop(ps, lr: 0.02, alpha: 0.8, eps: 1e-4, weightDecay: 0.1, momentum: 0.5, centered: true, maximize: true),
        "rmsprop-plain" => new RMSprop(ps, lr: 0.01),
        _ => throw new ArgumentException(name),
    };

    // One group of float32 and float64 parameters, one of them strided (formula path) and one that first gets a
    // gradient at the second step (so its step number, or SGD's first-step flag, differs from the others'; Adagrad's
    // decayed learning rate depends on it): the
    // fused multi-tensor calls must give each parameter exactly what an optimizer of its own gives it.
    [Theory]
    [InlineData("adam")]
    [InlineData("adamw-amsgrad")]
    [InlineData("sgd-nesterov")]
    [InlineData("sgd-plain-maximize")]
    [InlineData("adagrad-all")]
    [InlineData("rmsprop-all")]
    [InlineData("rmsprop-plain")]
    public void AGroupStepsEachParameterAsAnOptimizerOfItsOwn(string name)
    {
        var shapes = new (long[] Shape, DType DType)[] { ([40, 7], DType.Float32), ([13], DType.Float64), ([5, 9], DType.Float32), ([300], DType.Float64) };
        Parameter Make(int i) => new(Torch.Randn(shapes[i].Shape, DType.Float64, generator: new Generator().ManualSeed(i)).To(shapes[i].DType));
        var together = shapes.Select((_, i) => Make(i)).ToList();
        together[2] = new Parameter(together[2].T().Contiguous().T()); // strided: the formula path, in the same group
        var alone = together.Select(p => new Parameter(p.Detach().Clone())).ToList();
        var groupOptimizer = CreateForGroup(name, together);
        var ownOptimizers = alone.Select(p => CreateForGroup(name, [p])).ToList();
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < together.Count; i++)
            {
                bool late = i == 1 && step == 0;
                var grad = late ? null : Torch.Randn(shapes[i].Shape, DType.Float64, generator: new Generator().ManualSeed(50 + 10 * step + i)).To(shapes[i].DType);
                together[i].Grad = grad;
                alone[i].Grad = grad?.Clone();
            }
            groupOptimizer.Step();
            for (int i = 0; i < alone.Count; i++)
                if (alone[i].Grad != null) ownOptimizers[i].Step();
        }
        for (int i = 0; i < together.Count; i++)
            Assert.Equal(alone[i].To(DType.Float64).ToArray<double>(), together[i].To(DType.Float64).ToArray<double>());
    }

    // A parameter whose update throws (a gradient of the wrong shape) stops the step: the parameters set aside for
    // the fused call before it are left as they were, step count and momentum buffer included (SGD's is removed, as
    // its presence marks a filled buffer; RMSprop's may stay as the zeros of PyTorch's initial state), and the next
    // step is that parameter's first.
    [Theory]
    [InlineData("adam")]
    [InlineData("sgd-nesterov")]
    [InlineData("adagrad-all")]
    [InlineData("rmsprop-all")]
    public void AFailedGroupLeavesTheSetAsideParametersUntouched(string name)
    {
        var fusable = new Parameter(Torch.Ones(8));
        var broken = new Parameter(Torch.Ones(3, 4).T()); // strided: its update runs (and fails) in the formula path
        var optimizer = CreateForGroup(name, [fusable, broken]);
        fusable.Grad = Torch.Full([8], 0.5);
        broken.Grad = Torch.Ones(4, 3);
        // a gradient that no longer fits: the parameter's shape changed through .data (assigning a mismatched .grad is refused)
        broken.Data = Torch.Ones(4, 5).T();
        Assert.ThrowsAny<Exception>(() => optimizer.Step());
        Assert.Equal(Enumerable.Repeat(1f, 8), fusable.ToArray<float>());
        var state = optimizer.State[fusable];
        if (state.TryGetValue("momentum_buffer", out var buffer))
        {
            Assert.IsType<RMSprop>(optimizer);
            Assert.Equal(new float[8], ((Tensor)buffer).ToArray<float>());
        }
        Assert.Equal(0L, state.TryGetValue("step", out var s) ? System.Convert.ToInt64(s) : 0L);

        broken.Grad = null;
        optimizer.Step();
        var reference = new Parameter(Torch.Ones(8)) { Grad = Torch.Full([8], 0.5) };
        CreateForGroup(name, [reference]).Step();
        Assert.Equal(reference.ToArray<float>(), fusable.ToArray<float>());
    }

    [Fact]
    public void AmsgradKeepsANaNInItsRunningMaximumAsTorchMaximumDoes()
    {
        // 37 elements: a NaN gradient in a vector lane (index 2) and in the scalar tail (index 36)
        var p = new Parameter(Torch.Ones([37]));
        var grad = Torch.Full([37], 0.5);
        grad[2] = Torch.NewTensor(float.NaN);
        grad[36] = Torch.NewTensor(float.NaN);
        p.Grad = grad;
        var adam = new Adam([p], lr: 0.1, amsgrad: true);
        adam.Step();
        var kept = ((Tensor)adam.State[p]["max_exp_avg_sq"]).ToArray<float>();
        Assert.True(float.IsNaN(kept[2]) && float.IsNaN(kept[36]));
        Assert.Equal(0.25f * 0.001f, kept[0], 1e-9f);
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
