// nll_loss and the fused softmax + cross-entropy over contiguous [rows, classes] inputs with int64 class-index
// targets, forward and backward. Forward with a reduction runs as one block whose warps take rows in turn and
// sum in double in a fixed order (deterministic); without one, a warp per row over the whole grid. Backwards
// are elementwise over [rows, classes] and write every element. An out-of-range target counts as ignored and
// raises the caller's invalid_target flag.
#include "nn.cuh"

namespace pst {
namespace {

constexpr int kReduceThreads = 1024;

__device__ __forceinline__ bool target_counts(int64_t t, int64_t classes, int64_t ignore_index, int32_t* invalid_target) {
    if (t == ignore_index) return false;
    if (t < 0 || t >= classes) {
        if (invalid_target) *invalid_target = 1;
        return false;
    }
    return true;
}

template <typename T> __device__ __forceinline__ double weight_at(const T* weight, int64_t t) {
    return weight ? static_cast<double>(convert<acc_t<T>>(weight[t])) : 1.0;
}

// The per-row pieces of both losses: the row's loss and the weight it counts with (0 for a row that does not count).
struct RowLoss {
    double loss, weight;
};

// nll: -w[t] * logp[i, t].
template <typename T> struct NllRow {
    const T* logp;
    const int64_t* target;
    const T* weight;
    int64_t classes, ignore_index;
    int32_t* invalid_target;
    // Every lane of the warp calls it; lane 0's result is the row's.
    __device__ __forceinline__ RowLoss operator()(int64_t i, int) const {
        const int64_t t = target[i];
        if (!target_counts(t, classes, ignore_index, invalid_target)) return {0.0, 0.0};
        const double w = weight_at(weight, t);
        return {-w * static_cast<double>(convert<acc_t<T>>(logp[i * classes + t])), w};
    }
};

// cross entropy: the warp reduces the row's max, sum of exponentials and (with smoothing) sum of w[j] x[j].
template <typename T> struct CrossEntropyRow {
    using A = acc_t<T>;
    const T* logits;
    const int64_t* target;
    const T* weight;
    A* lse_out;
    int64_t classes, ignore_index;
    double smoothing;
    int32_t* invalid_target;
    __device__ __forceinline__ RowLoss operator()(int64_t i, int lane) const {
        const T* x = logits + i * classes;
        A m = -static_cast<A>(INFINITY);
        for (int64_t j = lane; j < classes; j += kWarp) m = max(m, convert<A>(x[j]));
        m = warp_max(m);
        A s = A(0), weighted = A(0), weights = A(0);
        for (int64_t j = lane; j < classes; j += kWarp) {
            const A v = convert<A>(x[j]);
            s += exp(v - m);
            if (smoothing != 0.0) {
                const A w = weight ? convert<A>(weight[j]) : A(1);
                weighted += w * v;
                weights += w;
            }
        }
        s = warp_sum(s);
        // all -inf: lse is -inf, as PyTorch's logsumexp
        const A lse = m == -static_cast<A>(INFINITY) ? m : m + log(s);
        if (lane == 0) lse_out[i] = lse;
        if (smoothing != 0.0) {
            weighted = warp_sum(weighted);
            weights = warp_sum(weights);
        }
        const int64_t t = target[i];
        if (!target_counts(t, classes, ignore_index, lane == 0 ? invalid_target : nullptr)) return {0.0, 0.0};
        const double w = weight_at(weight, t);
        double loss = -w * static_cast<double>(convert<A>(x[t]) - lse);
        if (smoothing != 0.0) {
            const double smooth = -(static_cast<double>(weighted) - static_cast<double>(weights) * static_cast<double>(lse));
            loss = (1.0 - smoothing) * loss + smoothing / static_cast<double>(classes) * smooth;
        }
        return {loss, w};
    }
};

// No reduction: out[i] = the row's loss; total_weight is not written (it is only a by-product of the reductions).
template <typename T, typename Row> __global__ void rows_kernel(T* out, Row row, int64_t rows) {
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * (blockDim.x / kWarp);
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x / kWarp) + threadIdx.x / kWarp; i < rows; i += warps) {
        RowLoss r = row(i, lane);
        if (lane == 0) out[i] = convert<T>(r.loss);
    }
}

// Sum or mean: one block, warp w takes rows w, w + warps, ...; total_weight = the counted weights. The launch bound
// caps registers at 64 a thread: without it the float64 cross-entropy took 69 on sm_90, and 1024 threads of that
// exceed the 64K registers a block may have, so the launch failed (cudaErrorLaunchOutOfResources).
template <typename T, typename Row> __global__ void __launch_bounds__(kReduceThreads) reduce_rows_kernel(T* out, T* total_weight, Row row, int64_t rows, bool mean) {
    __shared__ double shared[kWarp];
    const int lane = threadIdx.x % kWarp, warps = blockDim.x / kWarp;
    double loss = 0.0, weight = 0.0;
    for (int64_t i = threadIdx.x / kWarp; i < rows; i += warps) {
        RowLoss r = row(i, lane);
        loss += r.loss;
        weight += r.weight;
    }
    // lane 0 holds each warp's sums; the other lanes' copies are ignored by zeroing them
    if (lane != 0) loss = weight = 0.0;
    loss = block_reduce(loss, [](double a, double b) { return a + b; }, 0.0, shared);
    weight = block_reduce(weight, [](double a, double b) { return a + b; }, 0.0, shared);
    if (threadIdx.x == 0) {
        *out = convert<T>(mean ? loss / weight : loss);
        if (total_weight) *total_weight = convert<T>(weight);
    }
}

template <typename T, typename Row> pst_status launch_rows(T* output, T* total_weight, const Row& row, int64_t rows, pst_reduction reduction, cudaStream_t stream) {
    if (reduction == PST_REDUCTION_NONE) {
        if (rows == 0) return PST_SUCCESS;
        rows_kernel<T><<<blocks_for(rows, kThreads / kWarp), kThreads, 0, stream>>>(output, row, rows);
    } else {
        reduce_rows_kernel<T><<<1, kReduceThreads, 0, stream>>>(output, total_weight, row, rows, reduction == PST_REDUCTION_MEAN);
    }
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

// The gradient's per-row scale g_i.
template <typename T> __device__ __forceinline__ acc_t<T> row_scale(const T* grad_output, const T* total_weight, pst_reduction reduction, int64_t i) {
    using A = acc_t<T>;
    if (reduction == PST_REDUCTION_NONE) return convert<A>(grad_output[i]);
    // the CPU computes gradOutput / totalWeight in T: rounded once more for the half types only
    if (reduction == PST_REDUCTION_MEAN) return convert<A>(convert<T>(convert<A>(grad_output[0]) / convert<A>(total_weight[0])));
    return convert<A>(grad_output[0]);
}

template <typename T> struct NllBackward {
    T* gx;
    const T* gy;
    const int64_t* target;
    const T* weight;
    const T* total_weight;
    int64_t classes, ignore_index;
    pst_reduction reduction;
    __device__ void operator()(int64_t e) const {
        using A = acc_t<T>;
        const int64_t i = e / classes, k = e - i * classes;
        const int64_t t = target[i];
        A v = A(0);
        if (k == t && t != ignore_index) {
            const A g = row_scale(gy, total_weight, reduction, i);
            v = -(weight ? convert<A>(weight[t]) * g : g);
        }
        gx[e] = convert<T>(v);
    }
};

// A warp per row: the row's weight sum (needed with smoothing and class weights), then every element of the row.
template <typename T> __global__ void cross_entropy_backward_kernel(T* gx, const T* gy, const T* logits, const acc_t<T>* lse, const int64_t* target,
                                                                   const T* weight, const T* total_weight, int64_t rows, int64_t classes,
                                                                   int64_t ignore_index, double smoothing, pst_reduction reduction) {
    using A = acc_t<T>;
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * (blockDim.x / kWarp);
    const A keep = static_cast<A>(1.0 - smoothing), spread = static_cast<A>(smoothing / static_cast<double>(classes));
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x / kWarp) + threadIdx.x / kWarp; i < rows; i += warps) {
        const int64_t t = target[i];
        T* row = gx + i * classes;
        if (t == ignore_index || t < 0 || t >= classes) {
            for (int64_t k = lane; k < classes; k += kWarp) row[k] = convert<T>(A(0));
            continue;
        }
        A weight_sum = static_cast<A>(classes);
        if (smoothing != 0.0 && weight) {
            weight_sum = A(0);
            for (int64_t k = lane; k < classes; k += kWarp) weight_sum += convert<A>(weight[k]);
            weight_sum = warp_sum(weight_sum);
        }
        const A g = row_scale(gy, total_weight, reduction, i);
        const A wt = weight ? convert<A>(weight[t]) : A(1);
        const A l = lse[i];
        for (int64_t k = lane; k < classes; k += kWarp) {
            const A p = exp(convert<A>(logits[i * classes + k]) - l);
            A d = wt * (p - (k == t ? A(1) : A(0)));
            if (smoothing != 0.0) {
                const A wk = weight ? convert<A>(weight[k]) : A(1);
                d = keep * d + spread * (weight_sum * p - wk);
            }
            row[k] = convert<T>(g * d);
        }
    }
}

pst_status check_sizes(int64_t rows, int64_t classes, pst_reduction reduction, const char* what) {
    PST_REQUIRE(rows >= 0 && classes >= 0, "%s: negative size", what);
    PST_REQUIRE(reduction == PST_REDUCTION_NONE || reduction == PST_REDUCTION_MEAN || reduction == PST_REDUCTION_SUM, "%s: unknown reduction %d", what,
                static_cast<int>(reduction));
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_nll_loss(pst_dtype dtype, void* output, void* total_weight, const void* log_probs, const int64_t* target, const void* weight, int64_t rows,
                        int64_t classes, int64_t ignore_index, pst_reduction reduction, int32_t* invalid_target, void* stream) {
    PST_CHECK(check_sizes(rows, classes, reduction, "pst_nll_loss"));
    PST_CHECK(require_pointers(output && (rows == 0 || (log_probs && target)), "pst_nll_loss"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        NllRow<T> row{static_cast<const T*>(log_probs), target, static_cast<const T*>(weight), classes, ignore_index, invalid_target};
        return launch_rows(static_cast<T*>(output), static_cast<T*>(total_weight), row, rows, reduction, as_stream(stream));
    });
}

pst_status pst_nll_loss_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* target, const void* weight, const void* total_weight,
                                 int64_t rows, int64_t classes, int64_t ignore_index, pst_reduction reduction, void* stream) {
    PST_CHECK(check_sizes(rows, classes, reduction, "pst_nll_loss_backward"));
    if (rows * classes == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && grad_output && target && (reduction != PST_REDUCTION_MEAN || total_weight), "pst_nll_loss_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(rows * classes,
                              NllBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), target, static_cast<const T*>(weight),
                                             static_cast<const T*>(total_weight), classes, ignore_index, reduction},
                              as_stream(stream));
    });
}

pst_status pst_cross_entropy(pst_dtype dtype, void* output, void* total_weight, void* lse, const void* logits, const int64_t* target, const void* weight,
                             int64_t rows, int64_t classes, int64_t ignore_index, double label_smoothing, pst_reduction reduction, int32_t* invalid_target,
                             void* stream) {
    PST_CHECK(check_sizes(rows, classes, reduction, "pst_cross_entropy"));
    PST_REQUIRE(label_smoothing >= 0.0 && label_smoothing <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: %g", label_smoothing);
    PST_CHECK(require_pointers(output && (rows == 0 || (logits && target && lse)), "pst_cross_entropy"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        CrossEntropyRow<T> row{static_cast<const T*>(logits), target, static_cast<const T*>(weight), static_cast<acc_t<T>*>(lse), classes, ignore_index,
                               label_smoothing, invalid_target};
        return launch_rows(static_cast<T*>(output), static_cast<T*>(total_weight), row, rows, reduction, as_stream(stream));
    });
}

pst_status pst_cross_entropy_backward(pst_dtype dtype, void* grad_logits, const void* grad_output, const void* logits, const void* lse, const int64_t* target,
                                      const void* weight, const void* total_weight, int64_t rows, int64_t classes, int64_t ignore_index, double label_smoothing,
                                      pst_reduction reduction, void* stream) {
    PST_CHECK(check_sizes(rows, classes, reduction, "pst_cross_entropy_backward"));
    if (rows * classes == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_logits && grad_output && logits && lse && target && (reduction != PST_REDUCTION_MEAN || total_weight),
                               "pst_cross_entropy_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        cross_entropy_backward_kernel<T><<<blocks_for(rows, kThreads / kWarp), kThreads, 0, as_stream(stream)>>>(
            static_cast<T*>(grad_logits), static_cast<const T*>(grad_output), static_cast<const T*>(logits), static_cast<const acc_t<T>*>(lse), target,
            static_cast<const T*>(weight), static_cast<const T*>(total_weight), rows, classes, ignore_index, label_smoothing, reduction);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

}  // extern "C"
