// Fused multi-tensor optimizer steps (Adam/AdamW, SGD) with the arithmetic of the CPU's CpuBackend.Optim. A step takes up to kMaxTensors parameters per launch: the
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

struct AdamScalars {
    double grad_sign, grad_decay, param_scale, beta1, beta2, eps, step_size, bias_correction2_sqrt;
    bool decay_grad, scale_param, amsgrad;
};

// Operands: 0 param, 1 grad, 2 exp_avg, 3 exp_avg_sq, 4 max_exp_avg_sq.
template <typename T> __global__ void adam_kernel(TensorList<5> list, AdamScalars s) {
    using C = compute_t<T>;
    const int t = tensor_of(list, blockIdx.x);
    const int64_t start = (blockIdx.x - list.first_block[t]) * static_cast<int64_t>(kChunk);
    const int64_t end = min(start + kChunk, list.sizes[t]);
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
            vi = max(convert<C>(vmax[i]), vi);
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
    const int t = tensor_of(list, blockIdx.x);
    const int64_t start = (blockIdx.x - list.first_block[t]) * static_cast<int64_t>(kChunk);
    const int64_t end = min(start + kChunk, list.sizes[t]);
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

}  // extern "C"
