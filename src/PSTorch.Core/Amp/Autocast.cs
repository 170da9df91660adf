namespace PSTorch.Amp;

/// <summary>How autocast treats an op's floating inputs (PyTorch's cast policies).</summary>
internal enum AutocastPolicy
{
    /// <summary>Not listed: the op runs in its inputs' types with the usual promotion.</summary>
    None,
    /// <summary>lower_precision_fp: inputs are cast to the autocast dtype (matrix products, convolutions).</summary>
    LowerPrecision,
    /// <summary>fp32: inputs are cast to float32 (losses, and on CUDA the ops that lose range or accuracy in float16).</summary>
    Float32,
    /// <summary>Refused under autocast (binary_cross_entropy on CUDA).</summary>
    Banned,
}

/// <summary>
/// The autocast hook of the ops: <c>x = Autocast.Cast("mm", x)</c> at the top of an op definition casts the inputs
/// as PyTorch's autocast lists say for the op's device type (aten/src/ATen/autocast_mode.cpp). A tensor is cast when it
/// is floating point but not float64 and lives on the autocast device type; wrapped numbers and other tensors pass
/// unchanged. The casts are ordinary recorded ops (ToCopyBackward0), so gradients reach float32 parameters in float32.
/// When no autocast is on, the hook costs one thread-static read.
/// </summary>
internal static class Autocast
{
    static readonly HashSet<string> CpuLowerPrecision =
    [
        "conv1d", "conv2d", "conv3d", "bmm", "mm", "linalg_vecdot", "baddbmm", "addmm", "addbmm", "linear", "matmul",
        "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "prelu", "scaled_dot_product_attention",
    ];

    static readonly HashSet<string> CpuFloat32 =
    [
        "avg_pool3d", "binary_cross_entropy", "grid_sampler", "polar", "prod", "quantile", "nanquantile", "stft", "cdist", "trace",
        "cholesky", "inverse", "pinverse", "max_pool3d", "max_unpool2d", "max_unpool3d", "adaptive_avg_pool3d", "reflection_pad1d",
        "reflection_pad2d", "replication_pad1d", "replication_pad2d", "replication_pad3d", "mse_loss", "cosine_embedding_loss",
        "nll_loss", "nll_loss2d", "hinge_embedding_loss", "poisson_nll_loss", "smooth_l1_loss", "cross_entropy_loss", "l1_loss",
        "huber_loss", "margin_ranking_loss", "soft_margin_loss", "triplet_margin_loss", "multi_margin_loss", "ctc_loss", "kl_div",
        "multilabel_margin_loss", "binary_cross_entropy_with_logits",
    ];

    static readonly HashSet<string> CudaLowerPrecision =
    [
        "_convolution", "conv1d", "conv2d", "conv3d", "conv_tbc", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
        "convolution", "prelu", "addmm", "addmv", "addr", "matmul", "einsum", "mm", "mv", "linalg_vecdot", "linear", "addbmm",
        "baddbmm", "bmm", "chain_matmul", "linalg_multi_dot", "lstm_cell", "gru_cell", "rnn_tanh_cell", "rnn_relu_cell",
        "scaled_dot_product_attention",
    ];

    // fp32, fp32_set_opt_dtype (prod, softmax, log_softmax, cumprod, cumsum, vector/matrix norms, sum: cast when no
    // dtype is given, which is where the ops call the hook) and fp32_append_dtype (norm)
    static readonly HashSet<string> CudaFloat32 =
    [
        "acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10", "log2", "log1p", "reciprocal", "rsqrt", "sinh", "tan",
        "pow", "softplus", "layer_norm", "native_layer_norm", "group_norm", "frobenius_norm", "nuclear_norm", "cosine_similarity",
        "poisson_nll_loss", "cosine_embedding_loss", "nll_loss", "nll_loss2d", "hinge_embedding_loss", "kl_div", "l1_loss",
        "smooth_l1_loss", "huber_loss", "mse_loss", "margin_ranking_loss", "multilabel_margin_loss", "soft_margin_loss",
        "triplet_margin_loss", "multi_margin_loss", "binary_cross_entropy_with_logits", "dist", "pdist", "cdist", "renorm",
        "logsumexp", "prod", "softmax", "log_softmax", "cumprod", "cumsum", "linalg_vector_norm", "linalg_matrix_norm", "sum", "norm",
    ];

    /// <summary>The policy of <paramref name="op"/> (PyTorch's aten name) for tensors of <paramref name="deviceType"/>.</summary>
    public static AutocastPolicy PolicyOf(string op, DeviceType deviceType)
    {
        var (lower, float32) = deviceType == DeviceType.Cpu ? (CpuLowerPrecision, CpuFloat32) : (CudaLowerPrecision, CudaFloat32);
        if (lower.Contains(op)) return AutocastPolicy.LowerPrecision;
        if (float32.Contains(op)) return AutocastPolicy.Float32;
        return deviceType == DeviceType.Cuda && op == "binary_cross_entropy" ? AutocastPolicy.Banned : AutocastPolicy.None;
    }

    /// <summary>The dtype <paramref name="op"/> casts its eligible inputs on <paramref name="deviceType"/> to now, or null.</summary>
    static DType? TargetDType(string op, DeviceType deviceType)
    {
        if (!AutocastMode.IsEnabled(deviceType)) return null;
        switch (PolicyOf(op, deviceType))
        {
            case AutocastPolicy.LowerPrecision: return AutocastMode.GetDType(deviceType);
            case AutocastPolicy.Float32: return DType.Float32;
            case AutocastPolicy.Banned:
                throw new InvalidOperationException(
                    "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast.\n" +
                    "Many models use a sigmoid layer right before the binary cross entropy layer.\n" +
                    "In this case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_logits\n" +
                    "or torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and BCEWithLogits are\n" +
                    "safe to autocast.");
            default: return null;
        }
    }

    static Tensor To(Tensor t, DeviceType deviceType, DType target) =>
        t.Device.Type == deviceType && !t.IsWrappedNumber && t.DType.IsFloatingPoint() && t.DType != DType.Float64 ? t.To(target) : t;

    /// <summary>The input of a one-tensor op as autocast casts it (the tensor itself when autocast leaves it alone).</summary>
    public static Tensor Cast(string op, Tensor x)
    {
        if (!AutocastMode.AnyEnabled) return x;
        var deviceType = x.Device.Type;
        return TargetDType(op, deviceType) is { } target ? To(x, deviceType, target) : x;
    }

    /// <summary>The inputs of a two-tensor op as autocast casts them; the op's device type is that of the first.</summary>
    public static (Tensor, Tensor) Cast(string op, Tensor a, Tensor b)
    {
        if (!AutocastMode.AnyEnabled) return (a, b);
        var deviceType = a.Device.Type;
        return TargetDType(op, deviceType) is { } target ? (To(a, deviceType, target), To(b, deviceType, target)) : (a, b);
    }

    /// <summary>The inputs of an op with optional tensors (bias, weight, ...) as autocast casts them.</summary>
    public static (Tensor, Tensor, Tensor?) Cast(string op, Tensor a, Tensor b, Tensor? c)
    {
        if (!AutocastMode.AnyEnabled) return (a, b, c);
        var deviceType = a.Device.Type;
        if (TargetDType(op, deviceType) is not { } target) return (a, b, c);
        return (To(a, deviceType, target), To(b, deviceType, target), c == null ? null : To(c, deviceType, target));
    }

    /// <inheritdoc cref="Cast(string, Tensor, Tensor, Tensor?)"/>
    public static (Tensor, Tensor, Tensor?, Tensor?) Cast(string op, Tensor a, Tensor b, Tensor? c, Tensor? d)
    {
        if (!AutocastMode.AnyEnabled) return (a, b, c, d);
        var deviceType = a.Device.Type;
        if (TargetDType(op, deviceType) is not { } target) return (a, b, c, d);
        return (To(a, deviceType, target), To(b, deviceType, target), c == null ? null : To(c, deviceType, target), d == null ? null : To(d, deviceType, target));
    }
}
