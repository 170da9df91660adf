using PSTorch.NN;

namespace PSTorch.Benchmark;

/// <summary>
/// A built-in op to time by name (Measure-Op -Op): how its float32 inputs are shaped from a list of sizes, the call,
/// and the floating-point operations and bytes one call does (the roofline numbers), for GFLOP/s and GB/s.
/// </summary>
public sealed class BenchmarkOp
{
    readonly Func<long[], long[][]> inputShapes;
    readonly Func<Tensor[], Tensor> run;
    readonly Func<long[], double?> flops;
    readonly Func<long[], double> bytes;

    BenchmarkOp(string name, string sizes, int[] sizeCounts, Func<long[], long[][]> inputShapes, Func<Tensor[], Tensor> run,
        Func<long[], double?> flops, Func<long[], double> bytes)
    {
        Name = name;
        Sizes = sizes;
        SizeCounts = sizeCounts;
        this.inputShapes = inputShapes;
        this.run = run;
        this.flops = flops;
        this.bytes = bytes;
    }

    public string Name { get; }

    /// <summary>What the sizes mean, for help and errors: "N or M,K,N".</summary>
    public string Sizes { get; }

    /// <summary>The accepted numbers of sizes; empty means any number (a tensor shape).</summary>
    public IReadOnlyList<int> SizeCounts { get; }

    const double Float32Bytes = 4;

    static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    static BenchmarkOp Elementwise(string name, Func<Tensor[], Tensor> run, int inputs, double flopsPerElement) =>
        new(name, "a tensor shape, e.g. 1024,1024", [], s => Enumerable.Repeat(s, inputs).ToArray(), run,
            s => flopsPerElement * Numel(s), s => (inputs + 1) * Float32Bytes * Numel(s));

    /// <summary>M,K,N from N (square) or M,K,N.</summary>
    static (long M, long K, long N) Mkn(long[] s) => s.Length == 1 ? (s[0], s[0], s[0]) : (s[0], s[1], s[2]);

    static BenchmarkOp MatrixProduct(string name, Func<Tensor[], Tensor> run) =>
        new(name, "N (N x N times N x N) or M,K,N (M x K times K x N)", [1, 3],
            s => { var (m, k, n) = Mkn(s); return [[m, k], [k, n]]; }, run,
            s => { var (m, k, n) = Mkn(s); return 2.0 * m * k * n; },
            s => { var (m, k, n) = Mkn(s); return Float32Bytes * (m * k + k * n + m * n); });

    /// <summary>N,C,H,W,K,R: a batch of N C-channel H x W images and K filters of R x R, stride 1, no padding.</summary>
    static (long N, long C, long H, long W, long K, long R, long Ho, long Wo) Conv(long[] s) =>
        (s[0], s[1], s[2], s[3], s[4], s[5], s[2] - s[5] + 1, s[3] - s[5] + 1);

    /// <summary>The ops Measure-Op knows, by name.</summary>
    public static IReadOnlyList<BenchmarkOp> All { get; } =
    [
        Elementwise("add", x => x[0].Add(x[1]), 2, 1),
        new("bmm", "B,M,K,N (B products of M x K times K x N)", [4],
            s => [[s[0], s[1], s[2]], [s[0], s[2], s[3]]], x => x[0].Bmm(x[1]),
            s => 2.0 * s[0] * s[1] * s[2] * s[3],
            s => Float32Bytes * s[0] * (s[1] * s[2] + s[2] * s[3] + s[1] * s[3])),
        new("conv2d", "N,C,H,W,K,R (N x C x H x W input, K filters of R x R, stride 1, no padding)", [6],
            s => { var c = Conv(s); return [[c.N, c.C, c.H, c.W], [c.K, c.C, c.R, c.R]]; },
            x => Functional.Conv2d(x[0], x[1]),
            s => { var c = Conv(s); return 2.0 * c.N * c.K * c.Ho * c.Wo * c.C * c.R * c.R; },
            s => { var c = Conv(s); return Float32Bytes * (c.N * c.C * c.H * c.W + c.K * c.C * c.R * c.R + c.N * c.K * c.Ho * c.Wo); }),
        MatrixProduct("matmul", x => x[0].MatMul(x[1])),
        MatrixProduct("mm", x => x[0].Mm(x[1])),
        Elementwise("mul", x => x[0].Mul(x[1]), 2, 1),
        Elementwise("relu", x => x[0].Relu(), 1, 1),
        // exp, max and sum make its FLOP count a matter of convention: only the bytes are given
        new("softmax", "a tensor shape, softmax over the last dimension, e.g. 256,1024", [],
            s => [s], x => x[0].Softmax(-1), _ => null, s => 2 * Float32Bytes * Numel(s)),
        new("sum", "a tensor shape, summed to one value, e.g. 1024,1024", [],
            s => [s], x => x[0].Sum(), s => Numel(s), s => Float32Bytes * (Numel(s) + 1)),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(op => op.Name).ToArray();

    /// <summary>The op of that name (case-insensitive); an unknown name is an error listing the known ones.</summary>
    public static BenchmarkOp Get(string name) =>
        All.FirstOrDefault(op => op.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown op '{name}'. Known ops: {string.Join(", ", Names)}.");

    /// <summary>FLOPs of one call at these sizes, or null when not counted.</summary>
    public double? FlopsFor(long[] sizes) => flops(Checked(sizes));

    /// <summary>Bytes one call reads and writes at these sizes (float32 inputs and output, each touched once).</summary>
    public double BytesFor(long[] sizes) => bytes(Checked(sizes));

    long[] Checked(long[] sizes)
    {
        if (sizes.Length == 0 || (SizeCounts.Count > 0 && !SizeCounts.Contains(sizes.Length)))
            throw new ArgumentException($"{Name} takes sizes {Sizes}; got {(sizes.Length == 0 ? "none" : string.Join(",", sizes))}");
        if (sizes.Any(s => s <= 0)) throw new ArgumentException($"{Name}: sizes must be positive, got {string.Join(",", sizes)}");
        if (Name == "conv2d" && (sizes[5] > sizes[2] || sizes[5] > sizes[3]))
            throw new ArgumentException($"conv2d: the {sizes[5]} x {sizes[5]} kernel is larger than the {sizes[2]} x {sizes[3]} input");
        return sizes;
    }

    /// <summary>
    /// A timer for the op at these sizes on the device: random float32 inputs made once, each call's output released
    /// at once. Making the inputs fails for a device that is not available.
    /// </summary>
    public Timer CreateTimer(long[] sizes, Device device, int? threads = null)
    {
        var inputs = inputShapes(Checked(sizes)).Select(shape => Torch.Randn(shape, DType.Float32, device)).ToArray();
        void Call()
        {
            using var output = run(inputs);
        }
        return new Timer(Call, $"{Name}({string.Join(", ", sizes)})", $"float32 on {device}", device)
        {
            Flops = FlopsFor(sizes),
            Bytes = BytesFor(sizes),
            Threads = threads,
        };
    }
}
