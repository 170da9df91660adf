using PSTorch.Autograd;

namespace PSTorch.NN;

/// <summary>torch.nn.init: in-place initialisers (no graph is recorded) and gain helpers.</summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity (torch.nn.init.calculate_gain).</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity.ToLowerInvariant() switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field size.</summary>
    public static (long FanIn, long FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        if (tensor.NDim < 2)
            throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        long receptive = 1;
        for (int i = 2; i < tensor.NDim; i++) receptive *= tensor.Size(i);
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    static long Fan(Tensor t, string mode)
    {
        var (fin, fout) = CalculateFanInAndFanOut(t);
        return mode switch
        {
            "fan_in" => fin,
            "fan_out" => fout,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out"),
        };
    }

    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return tensor.Uniform_(a, b, generator);
    }

    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        using (GradMode.Set(false)) return tensor.Normal_(mean, std, generator);
    }

    /// <summary>
    /// Normal values truncated to [a, b] (torch.nn.init.trunc_normal_), drawn as PyTorch draws them: uniform values
    /// between the bounds' normal CDFs mapped back through the inverse CDF (erfinv), then clamped against rounding.
    /// </summary>
    public static Tensor TruncNormal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        if (!(std > 0)) throw new ArgumentException($"std must be positive, got {std}");
        if (!(a < b)) throw new ArgumentException($"the lower bound a ({a}) must be below the upper bound b ({b})");
        static double NormalCdf(double x) => (1 + Backends.Cpu.ErrorFunction.Erf(x / Math.Sqrt(2))) / 2;
        double lower = NormalCdf((a - mean) / std), upper = NormalCdf((b - mean) / std);
        using (GradMode.Set(false))
        {
            tensor.Uniform_(2 * lower - 1, 2 * upper - 1, generator);
            tensor.Erfinv_();
            tensor.Mul_(std * Math.Sqrt(2));
            tensor.Add_(mean);
            return tensor.Clamp_(a, b);
        }
    }

    public static Tensor Constant_(Tensor tensor, double value)
    {
        using (GradMode.Set(false)) return tensor.Fill_(value);
    }

    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fin, fout) = CalculateFanInAndFanOut(tensor);
        double a = gain * Math.Sqrt(6.0 / (fin + fout));
        return Uniform_(tensor, -a, a, generator);
    }

    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fin, fout) = CalculateFanInAndFanOut(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fin + fout)), generator);
    }

    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound, generator);
    }

    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null) =>
        Normal_(tensor, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)), generator);

    /// <summary>The identity matrix (torch.nn.init.eye_): keeps a Linear layer's inputs as they are.</summary>
    public static Tensor Eye_(Tensor tensor)
    {
        if (tensor.NDim != 2) throw new ArgumentException("Only tensors with 2 dimensions are supported");
        using var eye = Torch.Eye(tensor.Size(0), tensor.Size(1), tensor.DType, tensor.Device);
        using (GradMode.Set(false)) return tensor.Copy_(eye);
    }

    /// <summary>
    /// The Dirac delta (torch.nn.init.dirac_): a 3-, 4- or 5-D convolution weight that passes its first input channels
    /// through unchanged, one identity per group of output channels.
    /// </summary>
    public static Tensor Dirac_(Tensor tensor, long groups = 1)
    {
        if (tensor.NDim is < 3 or > 5) throw new ArgumentException("Only tensors with 3, 4, or 5 dimensions are supported");
        var shape = tensor.Shape;
        if (groups <= 0 || shape[0] % groups != 0) throw new ArgumentException("dim 0 must be divisible by groups");
        long outPerGroup = shape[0] / groups, identities = Math.Min(outPerGroup, shape[1]);
        var strides = Shapes.ContiguousStrides(shape);
        long center = 0;
        for (int d = 2; d < shape.Length; d++) center += shape[d] / 2 * strides[d];
        var values = new double[tensor.Numel()];
        for (long g = 0; g < groups; g++)
            for (long d = 0; d < identities; d++)
                values[(g * outPerGroup + d) * strides[0] + d * strides[1] + center] = 1;
        using var delta = Torch.FromArray(values, shape);
        using (GradMode.Set(false)) return tensor.Copy_(delta);
    }

    /// <summary>
    /// A sparse matrix (torch.nn.init.sparse_): normal values with standard deviation <paramref name="std"/>, then in
    /// every column ceil(sparsity * rows) randomly chosen rows set to zero.
    /// </summary>
    public static Tensor Sparse_(Tensor tensor, double sparsity, double std = 0.01, Generator? generator = null)
    {
        if (tensor.NDim != 2) throw new ArgumentException("Only tensors with 2 dimensions are supported");
        if (sparsity is < 0 or > 1) throw new ArgumentException($"sparsity must be between 0 and 1, got {sparsity}");
        long rows = tensor.Size(0), cols = tensor.Size(1);
        long zeros = (long)Math.Ceiling(sparsity * rows);
        Normal_(tensor, 0, std, generator);
        var keep = new double[rows * cols];
        Array.Fill(keep, 1.0);
        for (long c = 0; c < cols; c++)
        {
            using var order = Torch.Randperm(rows, generator: generator);
            foreach (long r in order.ToArray<long>().AsSpan(0, (int)zeros)) keep[r * cols + c] = 0;
        }
        using var hostMask = Torch.FromArray(keep, [rows, cols], tensor.DType);
        using var mask = hostMask.To(tensor.Device);
        using (GradMode.Set(false)) return tensor.Mul_(mask);
    }

    /// <summary>Fills a (semi-)orthogonal matrix: QR of a normal matrix with the signs of R's diagonal folded into Q.</summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        if (tensor.NDim < 2) throw new ArgumentException("Only tensors with 2 or more dimensions are supported");
        if (tensor.Numel() == 0) return tensor;
        int rows = (int)tensor.Size(0);
        int cols = (int)(tensor.Numel() / rows);
        bool transposed = rows < cols;
        int m = transposed ? cols : rows, n = transposed ? rows : cols;
        var a = Torch.Randn([m, n], DType.Float64, generator: generator).ToArray<double>();
        var q = HouseholderQ(a, m, n);
        var result = new double[rows * cols];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double v = q[i * n + j] * gain;
                if (transposed) result[j * cols + i] = v; else result[i * cols + j] = v;
            }
        using (GradMode.Set(false)) tensor.Copy_(Torch.FromArray(result, tensor.Shape));
        return tensor;
    }

    /// <summary>The thin Q (m x n, m &gt;= n) of A = QR, with Q's columns scaled by sign(R_jj) so the result is unique.</summary>
    static double[] HouseholderQ(double[] a, int m, int n)
    {
        var r = (double[])a.Clone();
        var vs = new List<double[]>();
        for (int k = 0; k < n; k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
            norm = Math.Sqrt(norm);
            var v = new double[m];
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            for (int i = k; i < m; i++) v[i] = r[i * n + k];
            v[k] -= alpha;
            double vnorm = 0;
            for (int i = k; i < m; i++) vnorm += v[i] * v[i];
            if (vnorm > 0)
                for (int j = 0; j < n; j++)
                {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * r[i * n + j];
                    double f = 2 * dot / vnorm;
                    for (int i = k; i < m; i++) r[i * n + j] -= f * v[i];
                }
            vs.Add(v);
        }
        // Q = H0 H1 ... H(n-1) applied to the first n columns of the identity
        var q = new double[m * n];
        for (int j = 0; j < n; j++) q[j * n + j] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            var v = vs[k];
            double vnorm = 0;
            for (int i = k; i < m; i++) vnorm += v[i] * v[i];
            if (vnorm == 0) continue;
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                double f = 2 * dot / vnorm;
                for (int i = k; i < m; i++) q[i * n + j] -= f * v[i];
            }
        }
        for (int j = 0; j < n; j++)
            if (r[j * n + j] < 0)
                for (int i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
        return q;
    }
}
