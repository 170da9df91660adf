// batch_norm (train with running statistics, eval) and layer_norm, forward and backward, over contiguous inputs.
// Statistics are two-pass (mean, then the mean of squared deviations) in float (double for float64), as the CPU
// composition computes them: stable without Welford's per-element division. batch_norm takes a block per channel
// (statistics, running-stat update and output in one launch); layer_norm a block per row, and its weight/bias
// gradients a block per 32 columns reducing over the rows in a fixed order (deterministic).
#include "nn.cuh"

namespace pst {
namespace {

template <typename A> struct SumOp {
    __device__ __forceinline__ A operator()(A a, A b) const { return a + b; }
};

template <typename A> __device__ __forceinline__ A block_sum(A v, A* shared) { return block_reduce(v, SumOp<A>{}, A(0), shared); }

// Element e of channel c of a [batch, channels, plane] tensor, e in [0, batch * plane).
__device__ __forceinline__ int64_t channel_offset(int64_t e, int64_t c, int64_t channels, int64_t plane) {
    const int64_t n = e / plane;
    return (n * channels + c) * plane + (e - n * plane);
}

template <typename T> __global__ void batch_norm_train_kernel(T* y, acc_t<T>* save_mean, acc_t<T>* save_invstd, acc_t<T>* running_mean,
                                                              acc_t<T>* running_var, const T* x, const acc_t<T>* weight, const acc_t<T>* bias,
                                                              int64_t batch, int64_t channels, int64_t plane, double momentum, double eps) {
    using A = acc_t<T>;
    __shared__ A shared[kWarp];
    const int64_t count = batch * plane;
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        A sum = A(0);
        for (int64_t e = threadIdx.x; e < count; e += blockDim.x) sum += convert<A>(x[channel_offset(e, c, channels, plane)]);
        const A mean = block_sum(sum, shared) / static_cast<A>(count);
        A squares = A(0);
        for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
            const A d = convert<A>(x[channel_offset(e, c, channels, plane)]) - mean;
            squares += d * d;
        }
        const A var = block_sum(squares, shared) / static_cast<A>(count);
        const A invstd = A(1) / sqrt(var + static_cast<A>(eps));
        if (threadIdx.x == 0) {
            if (save_mean) save_mean[c] = mean;
            if (save_invstd) save_invstd[c] = invstd;
            if (running_mean) running_mean[c] = running_mean[c] * static_cast<A>(1 - momentum) + mean * static_cast<A>(momentum);
            if (running_var)
                running_var[c] = running_var[c] * static_cast<A>(1 - momentum) +
                                 var * static_cast<A>(momentum * static_cast<double>(count) / static_cast<double>(count - 1));
        }
        const A w = weight ? weight[c] : A(1), b = bias ? bias[c] : A(0);
        for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
            const int64_t o = channel_offset(e, c, channels, plane);
            const A normalized = (convert<A>(x[o]) - mean) * invstd;
            y[o] = convert<T>(weight ? normalized * w + b : normalized + b);
        }
    }
}

template <typename T> struct BatchNormEval {
    using A = acc_t<T>;
    T* y;
    A* save_mean;
    A* save_invstd;
    const T* x;
    const A* mean;
    const A* var;
    const A* weight;
    const A* bias;
    int64_t channels, plane;
    A eps;
    __device__ void operator()(int64_t i) const {
        const int64_t c = (i / plane) % channels;
        const A invstd = A(1) / sqrt(var[c] + eps);
        const A normalized = (convert<A>(x[i]) - mean[c]) * invstd;
        y[i] = convert<T>((weight ? normalized * weight[c] : normalized) + (bias ? bias[c] : A(0)));
        if (i < channels) {
            // element i's channel is not i, so the statistics of channel i are written by element i separately
            if (save_mean) save_mean[i] = mean[i];
            if (save_invstd) save_invstd[i] = A(1) / sqrt(var[i] + eps);
        }
    }
};

template <typename T> __global__ void batch_norm_backward_kernel(T* gx, acc_t<T>* gw, acc_t<T>* gb, const T* gy, const T* x, const acc_t<T>* weight,
                                                                 const acc_t<T>* save_mean, const acc_t<T>* save_invstd, int64_t batch, int64_t channels,
                                                                 int64_t plane, bool training) {
    using A = acc_t<T>;
    __shared__ A shared[kWarp];
    const int64_t count = batch * plane;
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        const A mean = save_mean[c], invstd = save_invstd[c], w = weight ? weight[c] : A(1);
        A sum_dy = A(0), sum_dy_xhat = A(0);
        for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
            const int64_t o = channel_offset(e, c, channels, plane);
            const A dy = convert<A>(gy[o]);
            sum_dy += dy;
            sum_dy_xhat += dy * (convert<A>(x[o]) - mean) * invstd;
        }
        sum_dy = block_sum(sum_dy, shared);
        sum_dy_xhat = block_sum(sum_dy_xhat, shared);
        if (threadIdx.x == 0) {
            if (gw) gw[c] = sum_dy_xhat;
            if (gb) gb[c] = sum_dy;
        }
        if (!gx) continue;
        const A mean_dy = sum_dy / static_cast<A>(count), mean_dy_xhat = sum_dy_xhat / static_cast<A>(count);
        for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
            const int64_t o = channel_offset(e, c, channels, plane);
            const A dy = convert<A>(gy[o]);
            if (training) {
                const A xhat = (convert<A>(x[o]) - mean) * invstd;
                gx[o] = convert<T>(invstd * (dy * w - w * mean_dy - xhat * w * mean_dy_xhat));
            } else {
                gx[o] = convert<T>(dy * w * invstd);
            }
        }
    }
}

template <typename T> __global__ void layer_norm_kernel(T* y, acc_t<T>* save_mean, acc_t<T>* save_rstd, const T* x, const T* weight, const T* bias,
                                                        int64_t rows, int64_t cols, double eps) {
    using A = acc_t<T>;
    __shared__ A shared[kWarp];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* in = x + r * cols;
        A sum = A(0);
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) sum += convert<A>(in[j]);
        const A mean = block_sum(sum, shared) / static_cast<A>(cols);
        A squares = A(0);
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const A d = convert<A>(in[j]) - mean;
            squares += d * d;
        }
        const A rstd = A(1) / sqrt(block_sum(squares, shared) / static_cast<A>(cols) + static_cast<A>(eps));
        if (threadIdx.x == 0) {
            if (save_mean) save_mean[r] = mean;
            if (save_rstd) save_rstd[r] = rstd;
        }
        T* out = y + r * cols;
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const A normalized = (convert<A>(in[j]) - mean) * rstd;
            out[j] = convert<T>((weight ? normalized * convert<A>(weight[j]) : normalized) + (bias ? convert<A>(bias[j]) : A(0)));
        }
    }
}

template <typename T> __global__ void layer_norm_backward_input_kernel(T* gx, const T* gy, const T* x, const T* weight, const acc_t<T>* save_mean,
                                                                       const acc_t<T>* save_rstd, int64_t rows, int64_t cols) {
    using A = acc_t<T>;
    __shared__ A shared[kWarp];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* dy = gy + r * cols;
        const T* in = x + r * cols;
        const A mean = save_mean[r], rstd = save_rstd[r];
        A sum_g = A(0), sum_g_xhat = A(0);
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const A g = weight ? convert<A>(dy[j]) * convert<A>(weight[j]) : convert<A>(dy[j]);
            sum_g += g;
            sum_g_xhat += g * (convert<A>(in[j]) - mean) * rstd;
        }
        const A mean_g = block_sum(sum_g, shared) / static_cast<A>(cols);
        const A mean_g_xhat = block_sum(sum_g_xhat, shared) / static_cast<A>(cols);
        T* out = gx + r * cols;
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const A g = weight ? convert<A>(dy[j]) * convert<A>(weight[j]) : convert<A>(dy[j]);
            const A xhat = (convert<A>(in[j]) - mean) * rstd;
            out[j] = convert<T>(rstd * (g - mean_g - xhat * mean_g_xhat));
        }
    }
}

constexpr int kColumnRows = 16;

// blockDim (32, kColumnRows): column blockIdx.x * 32 + threadIdx.x, rows threadIdx.y, threadIdx.y + kColumnRows, ...
template <typename T> __global__ void layer_norm_backward_params_kernel(T* gw, T* gb, const T* gy, const T* x, const acc_t<T>* save_mean,
                                                                        const acc_t<T>* save_rstd, int64_t rows, int64_t cols) {
    using A = acc_t<T>;
    __shared__ A partial_w[kColumnRows][kWarp + 1];
    __shared__ A partial_b[kColumnRows][kWarp + 1];
    const int64_t j = blockIdx.x * static_cast<int64_t>(kWarp) + threadIdx.x;
    A sum_w = A(0), sum_b = A(0);
    if (j < cols)
        for (int64_t r = threadIdx.y; r < rows; r += kColumnRows) {
            const A dy = convert<A>(gy[r * cols + j]);
            sum_b += dy;
            sum_w += dy * (convert<A>(x[r * cols + j]) - save_mean[r]) * save_rstd[r];
        }
    partial_w[threadIdx.y][threadIdx.x] = sum_w;
    partial_b[threadIdx.y][threadIdx.x] = sum_b;
    __syncthreads();
    if (threadIdx.y == 0 && j < cols) {
        for (int k = 1; k < kColumnRows; ++k) {
            sum_w += partial_w[k][threadIdx.x];
            sum_b += partial_b[k][threadIdx.x];
        }
        if (gw) gw[j] = convert<T>(sum_w);
        if (gb) gb[j] = convert<T>(sum_b);
    }
}

// Threads for a block reducing `length` elements: a multiple of the warp, at most 512.
int reduce_threads(int64_t length) {
    return length >= 512 ? 512 : static_cast<int>(std::max<int64_t>(kWarp, (length + kWarp - 1) / kWarp * kWarp));
}

unsigned int grid_for(int64_t blocks) { return static_cast<unsigned int>(std::min<int64_t>(std::max<int64_t>(blocks, 1), 65535LL * 32)); }

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_batch_norm_forward(pst_dtype dtype, void* output, void* save_mean, void* save_invstd, void* running_mean, void* running_var,
                                  const void* input, const void* weight, const void* bias, int64_t batch, int64_t channels, int64_t plane, int32_t training,
                                  double momentum, double eps, void* stream) {
    PST_REQUIRE(batch >= 0 && channels >= 0 && plane >= 0, "pst_batch_norm_forward: negative size");
    if (channels == 0) return PST_SUCCESS;
    PST_REQUIRE(!training || batch * plane > 1, "Expected more than 1 value per channel when training (got %lld)", static_cast<long long>(batch * plane));
    PST_REQUIRE(training || (running_mean && running_var), "running_mean and running_var must be defined in evaluation mode");
    PST_CHECK(require_pointers(output && input, "pst_batch_norm_forward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = acc_t<T>;
        if (training) {
            batch_norm_train_kernel<T><<<grid_for(channels), reduce_threads(batch * plane), 0, as_stream(stream)>>>(
                static_cast<T*>(output), static_cast<A*>(save_mean), static_cast<A*>(save_invstd), static_cast<A*>(running_mean),
                static_cast<A*>(running_var), static_cast<const T*>(input), static_cast<const A*>(weight), static_cast<const A*>(bias), batch, channels,
                plane, momentum, eps);
            PST_LAUNCH_CHECK();
            return PST_SUCCESS;
        }
        PST_REQUIRE(batch * plane > 0 || (!save_mean && !save_invstd), "pst_batch_norm_forward: eval with an empty input cannot write the statistics");
        return for_each_index(batch * channels * plane,
                              BatchNormEval<T>{static_cast<T*>(output), static_cast<A*>(save_mean), static_cast<A*>(save_invstd),
                                               static_cast<const T*>(input), static_cast<const A*>(running_mean), static_cast<const A*>(running_var),
                                               static_cast<const A*>(weight), static_cast<const A*>(bias), channels, plane, static_cast<A>(eps)},
                              as_stream(stream));
    });
}

pst_status pst_batch_norm_backward(pst_dtype dtype, void* grad_input, void* grad_weight, void* grad_bias, const void* grad_output, const void* input,
                                   const void* weight, const void* save_mean, const void* save_invstd, int64_t batch, int64_t channels, int64_t plane,
                                   int32_t training, void* stream) {
    PST_REQUIRE(batch >= 0 && channels >= 0 && plane >= 0, "pst_batch_norm_backward: negative size");
    if (channels == 0 || (!grad_input && !grad_weight && !grad_bias)) return PST_SUCCESS;
    PST_CHECK(require_pointers((batch * plane == 0 || (grad_output && input)) && save_mean && save_invstd, "pst_batch_norm_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = acc_t<T>;
        batch_norm_backward_kernel<T><<<grid_for(channels), reduce_threads(batch * plane), 0, as_stream(stream)>>>(
            static_cast<T*>(grad_input), static_cast<A*>(grad_weight), static_cast<A*>(grad_bias), static_cast<const T*>(grad_output),
            static_cast<const T*>(input), static_cast<const A*>(weight), static_cast<const A*>(save_mean), static_cast<const A*>(save_invstd), batch,
            channels, plane, training != 0);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

pst_status pst_layer_norm_forward(pst_dtype dtype, void* output, void* save_mean, void* save_rstd, const void* input, const void* weight, const void* bias,
                                  int64_t rows, int64_t cols, double eps, void* stream) {
    PST_REQUIRE(rows >= 0 && cols >= 0, "pst_layer_norm_forward: negative size");
    if (rows == 0 || cols == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && input, "pst_layer_norm_forward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = acc_t<T>;
        layer_norm_kernel<T><<<grid_for(rows), reduce_threads(cols), 0, as_stream(stream)>>>(static_cast<T*>(output), static_cast<A*>(save_mean),
                                                                                              static_cast<A*>(save_rstd), static_cast<const T*>(input),
                                                                                              static_cast<const T*>(weight), static_cast<const T*>(bias),
                                                                                              rows, cols, eps);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

pst_status pst_layer_norm_backward(pst_dtype dtype, void* grad_input, void* grad_weight, void* grad_bias, const void* grad_output, const void* input,
                                   const void* weight, const void* save_mean, const void* save_rstd, int64_t rows, int64_t cols, void* stream) {
    PST_REQUIRE(rows >= 0 && cols >= 0, "pst_layer_norm_backward: negative size");
    if (cols == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(rows == 0 || (grad_output && input && save_mean && save_rstd), "pst_layer_norm_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = acc_t<T>;
        if (grad_input && rows > 0) {
            layer_norm_backward_input_kernel<T><<<grid_for(rows), reduce_threads(cols), 0, as_stream(stream)>>>(
                static_cast<T*>(grad_input), static_cast<const T*>(grad_output), static_cast<const T*>(input), static_cast<const T*>(weight),
                static_cast<const A*>(save_mean), static_cast<const A*>(save_rstd), rows, cols);
            PST_LAUNCH_CHECK();
        }
        if (grad_weight || grad_bias) {
            layer_norm_backward_params_kernel<T><<<grid_for((cols + kWarp - 1) / kWarp), dim3(kWarp, kColumnRows), 0, as_stream(stream)>>>(
                static_cast<T*>(grad_weight), static_cast<T*>(grad_bias), static_cast<const T*>(grad_output), static_cast<const T*>(input),
                static_cast<const A*>(save_mean), static_cast<const A*>(save_rstd), rows, cols);
            PST_LAUNCH_CHECK();
        }
        return PST_SUCCESS;
    });
}

}  // extern "C"
