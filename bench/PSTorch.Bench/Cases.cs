namespace PSTorch.Bench;

/// <summary>
/// A benchmark case: the peer (bench/peer-torchsharp) has one of the same name measuring the same work, unless
/// <paramref name="HasPeer"/> is false (then the case is judged against an absolute goal, see <see cref="Targets"/>).
/// </summary>
public sealed record Case(string Name, string Group, string Description, Func<Result> Run, bool HasPeer = true);

/// <summary>
/// The cases, in the peer's order and with its names and parameters. Every op releases what it allocates
/// (Dispose), as eager PyTorch frees a temporary when its last reference goes; the peer runs each call in a dispose scope.
/// </summary>
public static partial class Cases
{
    /// <summary>The "all cores" thread count (the peer uses the same).</summary>
    public static readonly int Threads = Environment.ProcessorCount;
    const long M16 = 16L * 1024 * 1024;

    static Dictionary<string, object> P(params (string Key, object Value)[] items) => items.ToDictionary(x => x.Key, x => x.Value);

    public static List<Case> All()
    {
        var list = new List<Case>();
        foreach (var t in new[] { 1, Threads }.Distinct())
            foreach (var bits in new[] { 256, 512 })
                list.Add(new($"fma_v{bits}_t{t}", "peak", $"register-resident Vector{bits} FMA loop on {t} OS thread(s)", () => Peak.MeasureFma(bits, t)));

        foreach (var n in new long[] { 256, 512, 1024, 2048 })
            foreach (var t in new[] { Threads, 1 }.Distinct())
                list.Add(new($"gemm_n{n}_t{t}", "gemm", $"C = A @ B, fp32 {n}x{n}, {t} thread(s)", () => Gemm(n, t)));

        list.Add(new("ew_add", "ew", "c = a + b (allocating)", () => Elementwise("ew_add", (a, b) => (a + b).Dispose(), 12)));
        list.Add(new("ew_add_inplace", "ew", "a += b (no allocation)", () => Elementwise("ew_add_inplace", (a, b) => a.Add_(b), 12)));
        list.Add(new("ew_mul_add1", "ew", "c = a * b + 1 (two eager kernels)", () => Elementwise("ew_mul_add1", MulAdd1, 12,
            "bytes counted as fused ideal (read a,b; write c = 12 B/elem); eager runs 2 kernels = 20 B/elem actual")));
        list.Add(new("ew_relu", "ew", "c = relu(a)", () => Elementwise("ew_relu", (a, _) => a.Relu().Dispose(), 8)));
        list.Add(new("ew_relu_inplace", "ew", "a.relu_() (no allocation)", () => Elementwise("ew_relu_inplace", (a, _) => a.Relu_(), 8)));
        list.Add(new("ew_exp", "ew", "c = exp(a)", () => Elementwise("ew_exp", (a, _) => a.Exp().Dispose(), 8)));

        list.Add(new("tiny_add", "tiny", "c = a + b on 1x1 tensors (per-op overhead)", () => Tiny("tiny_add", false)));
        list.Add(new("tiny_add_grad", "tiny", "c = a + b on 1x1 tensors, a requires grad (records the graph)", () => Tiny("tiny_add_grad", true)));

        list.Add(new("red_sum", "red", "sum over 16M floats", RedSum));
        list.Add(new("red_softmax", "red", "softmax over rows of 4096x1024", RedSoftmax));
        list.Add(new("red_ce_fwdbwd", "red", "log_softmax + nll_loss fwd+bwd, logits 1024x10", RedCrossEntropy));
        AddNeuralNetworkCases(list);
        list.AddRange(DataCases.All());
        list.AddRange(FashionMnistCases.All());
        return list;
    }

    static Result Gemm(long n, int threads)
    {
        using var a = Inputs.Randn(n, n);
        using var b = Inputs.Randn(n, n);
        return Measure.Op($"gemm_n{n}_t{threads}", "gemm", P(("n", n), ("dtype", "float32"), ("op", "Tensor.MatMul (allocating)")),
            threads, () => a.MatMul(b).Dispose(), 2.0 * n * n * n / 1e9, "GFLOP/s");
    }

    static void MulAdd1(Tensor a, Tensor b)
    {
        using var product = a * b;
        (product + 1).Dispose();
    }

    /// <summary>GB/s counts the logical bytes read and written once per element.</summary>
    static Result Elementwise(string name, Action<Tensor, Tensor> op, int bytesPerElement, string? note = null)
    {
        using var a = Inputs.Randn(M16);
        using var b = Inputs.Randn(M16);
        return Measure.Op(name, "ew", P(("numel", M16), ("dtype", "float32"), ("bytes_per_elem_counted", bytesPerElement)),
            Threads, () => op(a, b), (double)bytesPerElement * M16 / 1e9, "GB/s", note);
    }

    static Result Tiny(string name, bool grad)
    {
        using var a = Inputs.Randn(1, 1).RequiresGrad_(grad);
        using var b = Inputs.Randn(1, 1);
        return Measure.Op(name, "tiny", P(("shape", "1x1"), ("requires_grad", grad)), Threads,
            () => (a + b).Dispose(), 1e-6, "Mops/s", "throughput = million ops per second");
    }

    static Result RedSum()
    {
        using var a = Inputs.Randn(M16);
        return Measure.Op("red_sum", "red", P(("numel", M16), ("dtype", "float32")), Threads,
            () => a.Sum().Dispose(), 4.0 * M16 / 1e9, "GB/s");
    }

    static Result RedSoftmax()
    {
        using var x = Inputs.Randn(4096, 1024);
        return Measure.Op("red_softmax", "red", P(("shape", "4096x1024"), ("dim", 1)), Threads,
            () => x.Softmax(1).Dispose(), 2 * 4.0 * 4096 * 1024 / 1e9, "GB/s", "GB/s counts read x + write y once");
    }

    /// <summary>Cross-entropy as log_softmax + nll_loss (mean), forward and backward, on a fresh leaf each call as the peer does.</summary>
    static Result RedCrossEntropy()
    {
        using var logits = Inputs.Randn(1024, 10);
        using var target = Inputs.RandInt(10, 1024);
        return Measure.Op("red_ce_fwdbwd", "red", P(("logits", "1024x10"), ("loss", "nll_loss(log_softmax(x,1))"), ("reduction", "mean")),
            Threads, () =>
            {
                using var leaf = logits.Detach().RequiresGrad_(true);
                using var logProbs = leaf.LogSoftmax(1);
                using var loss = PSTorch.NN.Functional.NllLoss(logProbs, target);
                loss.Backward();
                leaf.Grad?.Dispose();
            }, 1.0, "calls/s");
    }
}
