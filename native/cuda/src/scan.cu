// Inclusive scans along one dimension: cumsum, cumprod, logcumsumexp, and cummax/cummin with indices.
//   lines contiguous along dim (the last dim): a warp per line, 32 elements at a time scanned across the lanes
//   with shuffles and the previous chunks' total carried in (coalesced reads, and long lines use 32 threads);
//   otherwise: a thread per line walking it sequentially, so neighbouring threads read neighbouring elements.
// Sums, products and log-sum-exps accumulate in float (double for float64).
#include "row_plan.cuh"

namespace pst {
namespace {

// Where sums, products and log-sum-exps accumulate: float for the half types, double for float64, the type itself otherwise.
template <typename T> using accumulate_t = compute_t<T>;

template <typename A> __device__ __forceinline__ A log_add_exp(A x, A y) {
    A lo = isnan(y) ? y : (x < y ? x : y);
    A hi = isnan(y) ? y : (x < y ? y : x);
    // both infinite with one sign: the sum is that infinity (exp of inf - inf would be NaN)
    if (lo != hi || isfinite(lo)) return hi + log1p(exp(lo - hi));
    return x;
}

template <typename T, pst_scan_op Op> __global__ void accumulate_kernel(RowPlan<3> plan, T* dst, const T* src) {
    using A = accumulate_t<T>;
    for (int64_t l = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; l < plan.row_count;
         l += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t off[3];
        plan.rows.offsets(l, off);
        A acc;
        if constexpr (Op == PST_SCAN_SUM) acc = A(0);
        else if constexpr (Op == PST_SCAN_PROD) acc = A(1);
        else acc = -static_cast<A>(INFINITY);
        for (int64_t j = 0; j < plan.length; ++j) {
            A x = convert<A>(src[off[1] + j * plan.along[1]]);
            if constexpr (Op == PST_SCAN_SUM) acc = acc + x;
            else if constexpr (Op == PST_SCAN_PROD) acc = acc * x;
            else acc = log_add_exp(acc, x);
            dst[off[0] + j * plan.along[0]] = convert<T>(acc);
        }
    }
}

template <typename T> __device__ __forceinline__ bool is_nan_value(T x) {
    compute_t<T> v = convert<compute_t<T>>(x);
    return v != v;
}

// PyTorch's cummax/cummin: x replaces the running extreme when it is NaN, or when neither is NaN and x >= it (<= for min).
template <typename T> __global__ void extreme_kernel(RowPlan<3> plan, T* dst, int64_t* indices, const T* src, bool max) {
    for (int64_t l = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; l < plan.row_count;
         l += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t off[3];
        plan.rows.offsets(l, off);
        T best = src[off[1]];
        int64_t at = 0;
        for (int64_t j = 0; j < plan.length; ++j) {
            T x = src[off[1] + j * plan.along[1]];
            compute_t<T> xv = convert<compute_t<T>>(x), bv = convert<compute_t<T>>(best);
            if (is_nan_value(x) || (!is_nan_value(best) && (max ? xv >= bv : xv <= bv))) {
                best = x;
                at = j;
            }
            dst[off[0] + j * plan.along[0]] = best;
            indices[off[2] + j * plan.along[2]] = at;
        }
    }
}


// __shfl_up_sync for any arithmetic type (types under 32 bits travel as int).
template <typename T> __device__ __forceinline__ T shfl_up(T v, int delta) {
    if constexpr (sizeof(T) < 4) return static_cast<T>(__shfl_up_sync(0xffffffffu, static_cast<int>(v), delta));
    else return __shfl_up_sync(0xffffffffu, v, delta);
}
template <typename T> __device__ __forceinline__ T shfl_last(T v) {
    if constexpr (sizeof(T) < 4) return static_cast<T>(__shfl_sync(0xffffffffu, static_cast<int>(v), kWarp - 1));
    else return __shfl_sync(0xffffffffu, v, kWarp - 1);
}

template <typename A, pst_scan_op Op> __device__ __forceinline__ A combine(A earlier, A later) {
    if constexpr (Op == PST_SCAN_SUM) return earlier + later;
    else if constexpr (Op == PST_SCAN_PROD) return earlier * later;
    else return log_add_exp(earlier, later);
}

// Lanes past the line's end hold copies of its first element: a lane's prefix reads only lanes at or below it,
// so they change nothing that is written, and the carry is only read after full chunks.
template <typename T, pst_scan_op Op> __global__ void accumulate_warp_kernel(RowPlan<3> plan, T* dst, const T* src) {
    using A = accumulate_t<T>;
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * (blockDim.x / kWarp);
    for (int64_t l = blockIdx.x * static_cast<int64_t>(blockDim.x / kWarp) + threadIdx.x / kWarp; l < plan.row_count; l += warps) {
        int64_t off[3];
        plan.rows.offsets(l, off);
        A carry{};
        for (int64_t base = 0; base < plan.length; base += kWarp) {
            const int64_t j = base + lane;
            A x = convert<A>(src[off[1] + (j < plan.length ? j : 0)]);
#pragma unroll
            for (int d = 1; d < kWarp; d <<= 1) {
                A y = shfl_up(x, d);
                if (lane >= d) x = combine<A, Op>(y, x);
            }
            if (base > 0) x = combine<A, Op>(carry, x);
            if (j < plan.length) dst[off[0] + j] = convert<T>(x);
            carry = shfl_last(x);
        }
    }
}

// The running extreme of (value, index) pairs: the later pair wins when it is NaN, or neither is NaN and it is >= (<=).
template <typename V> __device__ __forceinline__ bool later_wins(V earlier, V later, bool max) {
    if (later != later) return true;
    if (earlier != earlier) return false;
    return max ? later >= earlier : later <= earlier;
}

template <typename T> __global__ void extreme_warp_kernel(RowPlan<3> plan, T* dst, int64_t* indices, const T* src, bool max) {
    using V = compute_t<T>;
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * (blockDim.x / kWarp);
    for (int64_t l = blockIdx.x * static_cast<int64_t>(blockDim.x / kWarp) + threadIdx.x / kWarp; l < plan.row_count; l += warps) {
        int64_t off[3];
        plan.rows.offsets(l, off);
        V carry{};
        int64_t carry_at = 0;
        for (int64_t base = 0; base < plan.length; base += kWarp) {
            const int64_t j = base + lane;
            V v = convert<V>(src[off[1] + (j < plan.length ? j : 0)]);
            int64_t at = j;
#pragma unroll
            for (int d = 1; d < kWarp; d <<= 1) {
                V earlier = shfl_up(v, d);
                int64_t earlier_at = shfl_up(at, d);
                if (lane >= d && !later_wins(earlier, v, max)) {
                    v = earlier;
                    at = earlier_at;
                }
            }
            if (base > 0 && !later_wins(carry, v, max)) {
                v = carry;
                at = carry_at;
            }
            if (j < plan.length) {
                dst[off[0] + j] = convert<T>(v);
                indices[off[2] + j] = at;
            }
            carry = shfl_last(v);
            carry_at = shfl_last(at);
        }
    }
}

template <typename T, pst_scan_op Op>
pst_status launch_accumulate(const RowPlan<3>& plan, const pst_tensor* dst, const pst_tensor* src, bool contiguous_lines, cudaStream_t stream) {
    T* out = static_cast<T*>(dst->data);
    const T* in = static_cast<const T*>(src->data);
    if (contiguous_lines) accumulate_warp_kernel<T, Op><<<blocks_for(plan.row_count, kThreads / kWarp), kThreads, 0, stream>>>(plan, out, in);
    else accumulate_kernel<T, Op><<<blocks_for(plan.row_count), kThreads, 0, stream>>>(plan, out, in);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_scan(pst_scan_op op, const pst_tensor* dst, const pst_tensor* indices, const pst_tensor* src, int32_t dim, void* stream) {
    PST_CHECK(check_tensor(dst, "pst_scan"));
    PST_CHECK(check_tensor(src, "pst_scan"));
    PST_REQUIRE(dim >= 0 && dim < src->ndim, "pst_scan: dim %d out of range for %d dimensions", dim, src->ndim);
    PST_REQUIRE(same_shape(*dst, *src) && dst->dtype == src->dtype, "pst_scan: dst must have src's shape and dtype");
    const bool extreme = op == PST_SCAN_MAX || op == PST_SCAN_MIN;
    PST_REQUIRE(extreme == (indices != nullptr), "pst_scan: indices are written by max/min scans only");
    if (extreme) {
        PST_CHECK(check_tensor(indices, "pst_scan"));
        PST_REQUIRE(same_shape(*indices, *src) && indices->dtype == PST_INT64, "pst_scan: indices must be int64 of src's shape");
    }
    const pst_tensor* operands[3] = {dst, src, extreme ? indices : src};
    const RowPlan<3> plan = make_row_plan(operands, dim);
    if (plan.row_count == 0 || plan.length == 0) return PST_SUCCESS;
    cudaStream_t s = as_stream(stream);
    const unsigned int blocks = blocks_for(plan.row_count);
    const bool contiguous_lines = plan.along[0] == 1 && plan.along[1] == 1 && plan.along[2] == 1 && plan.length > 1;
    const unsigned int warp_blocks = blocks_for(plan.row_count, kThreads / kWarp);
    switch (op) {
        case PST_SCAN_MAX:
        case PST_SCAN_MIN:
            return visit_all(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                T* out = static_cast<T*>(dst->data);
                int64_t* at = static_cast<int64_t*>(indices->data);
                const T* in = static_cast<const T*>(src->data);
                if (contiguous_lines) extreme_warp_kernel<T><<<warp_blocks, kThreads, 0, s>>>(plan, out, at, in, op == PST_SCAN_MAX);
                else extreme_kernel<T><<<blocks, kThreads, 0, s>>>(plan, out, at, in, op == PST_SCAN_MAX);
                PST_LAUNCH_CHECK();
                return PST_SUCCESS;
            });
        case PST_SCAN_SUM:
        case PST_SCAN_PROD:
            PST_REQUIRE(src->dtype == PST_INT64 || src->dtype >= PST_FLOAT16, "pst_scan: sums and products are int64 or floating-point");
            return visit_all(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                if constexpr (std::is_same<T, bool>::value) return PST_SUCCESS;  // excluded above
                else {
                    if (op == PST_SCAN_SUM) return launch_accumulate<T, PST_SCAN_SUM>(plan, dst, src, contiguous_lines, s);
                    return launch_accumulate<T, PST_SCAN_PROD>(plan, dst, src, contiguous_lines, s);
                }
            });
        case PST_SCAN_LOGSUMEXP:
            return visit_floating(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                return launch_accumulate<T, PST_SCAN_LOGSUMEXP>(plan, dst, src, contiguous_lines, s);
            });
    }
    PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "pst_scan: unknown op %d", static_cast<int>(op));
}

}  // extern "C"
