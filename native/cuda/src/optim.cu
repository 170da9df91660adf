// Fused multi-tensor optimizer steps (Adam/AdamW, SGD, Adagrad, RMSprop) with the arithmetic of the CPU's CpuBackend.Optim. A step takes up to kMaxTensors parameters per launch: the
// kernel argument holds their pointers and the first block of each, and every block updates one chunk of one
// tensor (PyTorch's foreach/fused layout).
#include "nn.cuh"

namespace pst {
namespace {

constexpr int kMaxTensors = 24;
constexpr int kChunk = 4096;  // elements per block: 16 per thread

// Up to kMaxTensors tensors of one launch: operand k of tensor t is pointers[k][t].
template <int K> struct TensorList {
    void* pointers[K][kMaxTensors];
    int64_t sizes[kMaxTensors];
    int64_t first_block[kMaxTensors + 1];
    int count;
};

// The tensor that block b updates (first_block is increasing; a linear scan of at most kMaxTensors entries).
template <int K> __device__ __forceinline__ int tensor_of(const TensorList<K>& list, int64_t b) {
    int t = 0;
    while (t + 1 < list.count && list.first_block[t + 1] <= b) ++t;
    return t;
}

// The tensor that this block updates and the [start, end) range of it: kChunk elements, fewer at the tensor's end.
struct Chunk {
    int tensor;
    int64_t start, end;
};
template <int K> __device__ __forceinline__ Chunk chunk_of(const TensorList<K>& list) {
    const int t = tensor_of(list, blockIdx.x);
    const int64_t start = (blockIdx.x - list.first_block[t]) * static_cast<int64_t>(kChunk);
    return {t, start, min(start + kChunk, list.sizes[t])};
}

struct AdamScalars {
    double grad_sign, grad_decay, param_scale, beta1, beta2, eps, step_size, bias_correction2_sqrt;
    bool decay_grad, scale_param, amsgrad;
};

// Operands: 0 param, 1 grad, 2 exp_avg, 3 exp_avg_sq, 4 max_exp_avg_sq.
template <typename T> __global__ void adam_kernel(TensorList<5> list, AdamScalars s) {
    using C = compute_t<T>;
    const auto [t, start, end] = chunk_of(list);
    T* p = static_cast<T*>(list.pointers[0][t]);
    const T* g = static_cast<const T*>(list.pointers[1][t]);
    T* m = static_cast<T*>(list.pointers[2][t]);
    T* v = static_cast<T*>(list.pointers[3][t]);
    T* vmax = static_cast<T*>(list.pointers[4][t]);
    const C sign = static_cast<C>(s.grad_sign), decay = static_cast<C>(s.grad_decay), scale = static_cast<C>(s.param_scale);
    const C beta1 = static_cast<C>(s.beta1), one_minus_beta1 = static_cast<C>(1 - s.beta1);
    const C beta2 = static_cast<C>(s.beta2), one_minus_beta2 = static_cast<C>(1 - s.beta2);
    const C eps = static_cast<C>(s.eps), step_size = static_cast<C>(s.step_size), bc2_sqrt = static_cast<C>(s.bias_correction2_sqrt);
    for (int64_t i = start + threadIdx.x; i < end; i += blockDim.x) {
        C pi = convert<C>(p[i]), gi = convert<C>(g[i]) * sign;
        if (s.decay_grad) gi += pi * decay;
        if (s.scale_param) pi *= scale;
        const C mi = convert<C>(m[i]) * beta1 + gi * one_minus_beta1;
        C vi = convert<C>(v[i]) * beta2 + gi * gi * one_minus_beta2;
        m[i] = convert<T>(mi);
        v[i] = convert<T>(vi);
        if (s.amsgrad) {
            const C kept = convert<C>(vmax[i]);
            vi = kept > vi || isnan(kept) ? kept : vi;   // torch.maximum: a NaN on either side stays (max() would drop it)
            vmax[i] = convert<T>(vi);
        }
        const C denom = sqrt(vi) / bc2_sqrt + eps;
        p[i] = convert<T>(pi - mi / denom * step_size);
    }
}

struct SgdScalars {
    double weight_decay, momentum, dampening, grad_sign, lr;
    bool decay, use_momentum, initialize, nesterov;
};

// Operands: 0 param, 1 grad, 2 momentum buffer.
template <typename T> __global__ void sgd_kernel(TensorList<3> list, SgdScalars s) {
    using C = compute_t<T>;
    const auto [t, start, end] = chunk_of(list);
    T* p = static_cast<T*>(list.pointers[0][t]);
    const T* g = static_cast<const T*>(list.pointers[1][t]);
    T* buf = static_cast<T*>(list.pointers[2][t]);
    const C wd = static_cast<C>(s.weight_decay), momentum = static_cast<C>(s.momentum);
    const C one_minus_dampening = static_cast<C>(1 - s.dampening), sign = static_cast<C>(s.grad_sign), lr = static_cast<C>(s.lr);
    for (int64_t i = start + threadIdx.x; i < end; i += blockDim.x) {
        C pi = convert<C>(p[i]), gi = convert<C>(g[i]) * sign;
        if (s.decay) gi += pi * wd;
        if (s.use_momentum) {
            const C bi = s.initialize ? gi : convert<C>(buf[i]) * momentum + gi * one_minus_dampening;
            buf[i] = convert<T>(bi);
            gi = s.nesterov ? gi + bi * momentum : bi;
        }
        p[i] = convert<T>(pi - gi * lr);
    }
}

struct AdagradScalars {
    double grad_sign, weight_decay, eps, clr;
    bool decay;
};

// Operands: 0 param, 1 grad, 2 sum.
template <typename T> __global__ void adagrad_kernel(TensorList<3> list, AdagradScalars s) {
    using C = compute_t<T>;
    const auto [t, start, end] = chunk_of(list);
    T* p = static_cast<T*>(list.pointers[0][t]);
    const T* g = static_cast<const T*>(list.pointers[1][t]);
    T* sum = static_cast<T*>(list.pointers[2][t]);
    const C sign = static_cast<C>(s.grad_sign), wd = static_cast<C>(s.weight_decay), eps = static_cast<C>(s.eps), clr = static_cast<C>(s.clr);
    for (int64_t i = start + threadIdx.x; i < end; i += blockDim.x) {
        const C pi = convert<C>(p[i]);
        C gi = convert<C>(g[i]) * sign;
        if (s.decay) gi += pi * wd;
        const C si = convert<C>(sum[i]) + gi * gi;
        sum[i] = convert<T>(si);
        p[i] = convert<T>(pi - gi / (sqrt(si) + eps) * clr);
    }
}

struct RmspropScalars {
    double grad_sign, weight_decay, alpha, eps, momentum, lr;
    bool decay, centered, use_momentum;
};

// Operands: 0 param, 1 grad, 2 square_avg, 3 grad_avg, 4 momentum buffer.
template <typename T> __global__ void rmsprop_kernel(TensorList<5> list, RmspropScalars s) {
    using C = compute_t<T>;
    const auto [t, start, end] = chunk_of(list);
    T* p = static_cast<T*>(list.pointers[0][t]);
    const T* g = static_cast<const T*>(list.pointers[1][t]);
    T* square_avg = static_cast<T*>(list.pointers[2][t]);
    T* grad_avg = static_cast<T*>(list.pointers[3][t]);
    T* buf = static_cast<T*>(list.pointers[4][t]);
    const C sign = static_cast<C>(s.grad_sign), wd = static_cast<C>(s.weight_decay);
    const C alpha = static_cast<C>(s.alpha), one_minus_alpha = static_cast<C>(1 - s.alpha);
    const C eps = static_cast<C>(s.eps), momentum = static_cast<C>(s.momentum), lr = static_cast<C>(s.lr);
    for (int64_t i = start + threadIdx.x; i < end; i += blockDim.x) {
        const C pi = convert<C>(p[i]);
        C gi = convert<C>(g[i]) * sign;
        if (s.decay) gi += pi * wd;
        C avg = convert<C>(square_avg[i]) * alpha + gi * gi * one_minus_alpha;
        square_avg[i] = convert<T>(avg);
        if (s.centered) {
            const C gai = convert<C>(grad_avg[i]) * alpha + gi * one_minus_alpha;
            grad_avg[i] = convert<T>(gai);
            avg -= gai * gai;
        }
        C step = gi / (sqrt(avg) + eps);
        if (s.use_momentum) {
            step += convert<C>(buf[i]) * momentum;
            buf[i] = convert<T>(step);
        }
        p[i] = convert<T>(pi - step * lr);
    }
}

// Launches kernel(list, scalars) over the tensors in groups of kMaxTensors; operands[k] is the host array of
// operand k's pointers (NULL for an optional operand that is absent: its entries stay NULL).
template <int K, typename Launch> pst_status for_tensor_lists(void** const (&operands)[K], const int64_t* sizes, int32_t count, Launch launch) {
    for (int32_t first = 0; first < count; first += kMaxTensors) {
        TensorList<K> list{};
        int64_t blocks = 0;
        for (int t = 0; t < kMaxTensors && first + t < count; ++t) {
            const int64_t n = sizes[first + t];
            PST_REQUIRE(n >= 0, "optimizer step: parameter %d has a negative size", first + t);
            if (n == 0) continue;
            const int slot = list.count++;
            for (int k = 0; k < K; ++k) {
                list.pointers[k][slot] = operands[k] ? operands[k][first + t] : nullptr;
                PST_REQUIRE(list.pointers[k][slot] != nullptr || !operands[k], "optimizer step: operand %d of parameter %d is NULL", k, first + t);
            }
            list.sizes[slot] = n;
            list.first_block[slot] = blocks;
            blocks += (n + kChunk - 1) / kChunk;
        }
        if (list.count == 0) continue;
        list.first_block[list.count] = blocks;
        PST_REQUIRE(blocks <= 0x7fffffffLL, "optimizer step: too many elements in one launch");
        PST_CHECK(launch(list, static_cast<unsigned int>(blocks)));
    }
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_adam_step(pst_dtype dtype, void** params, void** grads, void** exp_avgs, void** exp_avg_sqs, void** max_exp_avg_sqs, const int64_t* sizes,
                         int32_t count, double lr, double beta1, double beta2, double eps, double weight_decay, int32_t decoupled, int32_t maximize,
                         int64_t step, void* stream) {
    PST_REQUIRE(count >= 0, "pst_adam_step: negative count");
    if (count == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(params && grads && exp_avgs && exp_avg_sqs && sizes, "pst_adam_step"));
    PST_REQUIRE(step >= 1, "pst_adam_step: step %lld is not positive", static_cast<long long>(step));
    AdamScalars s{};
    s.grad_sign = maximize ? -1 : 1;
    s.grad_decay = decoupled ? 0 : weight_decay;
    s.param_scale = decoupled ? 1 - lr * weight_decay : 1;
    s.beta1 = beta1;
    s.beta2 = beta2;
    s.eps = eps;
    s.step_size = lr / (1 - std::pow(beta1, static_cast<double>(step)));
    s.bias_correction2_sqrt = std::sqrt(1 - std::pow(beta2, static_cast<double>(step)));
    s.decay_grad = s.grad_decay != 0;
    s.scale_param = s.param_scale != 1;
    s.amsgrad = max_exp_avg_sqs != nullptr;
    void** const operands[5] = {params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs};
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_tensor_lists(operands, sizes, count, [&](const TensorList<5>& list, unsigned int blocks) {
            adam_kernel<T><<<blocks, kThreads, 0, as_stream(stream)>>>(list, s);
            PST_LAUNCH_CHECK();
            return PST_SUCCESS;
        });
    });
}

pst_status pst_sgd_step(pst_dtype dtype, void** params, void** grads, void** momentum_buffers, const int64_t* sizes, int32_t count, int32_t initialize_buffer,
                        double lr, double momentum, double dampening, double weight_decay, int32_t nesterov, int32_t maximize, void* stream) {
    PST_REQUIRE(count >= 0, "pst_sgd_step: negative count");
    if (count == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(params && grads && sizes, "pst_sgd_step"));
    SgdScalars s{};
    s.weight_decay = weight_decay;
    s.momentum = momentum;
    s.dampening = dampening;
    s.grad_sign = maximize ? -1 : 1;
    s.lr = lr;
    s.decay = weight_decay != 0;
    s.use_momentum = momentum_buffers != nullptr;
    s.initialize = initialize_buffer != 0;
    s.nesterov = nesterov != 0;
    void** const operands[3] = {params, grads, momentum_buffers};
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_tensor_lists(operands, sizes, count, [&](const TensorList<3>& list, unsigned int blocks) {
            sgd_kernel<T><<<blocks, kThreads, 0, as_stream(stream)>>>(list, s);
            PST_LAUNCH_CHECK();
            return PST_SUCCESS;
        });
    });
}

pst_status pst_adagrad_step(pst_dtype dtype, void** params, void** grads, void** sums, const int64_t* sizes, int32_t count, double lr,
                            double lr_decay, double weight_decay, double eps, int32_t maximize, int64_t step, void* stream) {
    PST_REQUIRE(count >= 0, "pst_adagrad_step: negative count");
    if (count == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(params && grads && sums && sizes, "pst_adagrad_step"));
    PST_REQUIRE(step >= 1, "pst_adagrad_step: step %lld is not positive", static_cast<long long>(step));
    AdagradScalars s{};
    s.grad_sign = maximize ? -1 : 1;
    s.weight_decay = weight_decay;
    s.eps = eps;
    s.clr = lr / (1 + static_cast<double>(step - 1) * lr_decay);
    s.decay = weight_decay != 0;
    void** const operands[3] = {params, grads, sums};
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_tensor_lists(operands, sizes, count, [&](const TensorList<3>& list, unsigned int blocks) {
            adagrad_kernel<T><<<blocks, kThreads, 0, as_stream(stream)>>>(list, s);
            PST_LAUNCH_CHECK();
            return PST_SUCCESS;
        });
    });
}

pst_status pst_rmsprop_step(pst_dtype dtype, void** params, void** grads, void** square_avgs, void** grad_avgs, void** momentum_buffers,
                            const int64_t* sizes, int32_t count, double lr, double alpha, double eps, double weight_decay, double momentum,
                            int32_t maximize, void* stream) {
    PST_REQUIRE(count >= 0, "pst_rmsprop_step: negative count");
    if (count == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(params && grads && square_avgs && sizes, "pst_rmsprop_step"));
    RmspropScalars s{};
    s.grad_sign = maximize ? -1 : 1;
    s.weight_decay = weight_decay;
    s.alpha = alpha;
    s.eps = eps;
    s.momentum = momentum;
    s.lr = lr;
    s.decay = weight_decay != 0;
    s.centered = grad_avgs != nullptr;
    s.use_momentum = momentum_buffers != nullptr;
    void** const operands[5] = {params, grads, square_avgs, grad_avgs, momentum_buffers};
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_tensor_lists(operands, sizes, count, [&](const TensorList<5>& list, unsigned int blocks) {
            rmsprop_kernel<T><<<blocks, kThreads, 0, as_stream(stream)>>>(list, s);
            PST_LAUNCH_CHECK();
            return PST_SUCCESS;
        });
    });
}

}  // extern "C"
