// softmax / log_softmax along one dimension, and their gradients. Rows are the positions of every other
// dimension; each row is reduced in float (double for float64):
//   rows up to 1024 long, contiguous along dim: a warp per row, the row held in registers (one read, one write);
//   longer contiguous rows: a block per row, online max/sum (two reads, one write);
//   dim not contiguous: a thread per row (neighbouring rows are neighbouring in memory), online max/sum.
#include "row_plan.cuh"

namespace pst {
namespace {

template <typename A> __device__ __forceinline__ A exp_of(A x) { return exp(x); }
template <typename A> __device__ __forceinline__ A log_of(A x) { return log(x); }

// Online softmax state: running max m and sum s of exp(x - m).
template <typename A> struct MaxSum {
    A m, s;
};
template <typename A> __device__ __forceinline__ MaxSum<A> combine(MaxSum<A> a, MaxSum<A> b) {
    if (a.m == -static_cast<A>(INFINITY)) return b;
    if (b.m == -static_cast<A>(INFINITY)) return a;
    A m = a.m > b.m ? a.m : b.m;
    return {m, a.s * exp_of(a.m - m) + b.s * exp_of(b.m - m)};
}
template <typename A> __device__ __forceinline__ MaxSum<A> shfl_xor(MaxSum<A> v, int lane_mask) {
    return {pst::shfl_xor(v.m, lane_mask), pst::shfl_xor(v.s, lane_mask)};
}
template <typename A> __device__ __forceinline__ MaxSum<A> push(MaxSum<A> state, A x) { return combine(state, MaxSum<A>{x, A(1)}); }

template <typename T, typename A> __device__ __forceinline__ T finish(A x, MaxSum<A> st, bool log) {
    return convert<T>(log ? x - st.m - log_of(st.s) : exp_of(x - st.m) / st.s);
}

template <typename T, int E> __global__ void softmax_warp_kernel(RowPlan<2> plan, T* dst, const T* src, bool log) {
    using A = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
    const int lane = threadIdx.x % kWarp;
    const int64_t warps = static_cast<int64_t>(gridDim.x) * (blockDim.x / kWarp);
    for (int64_t r = blockIdx.x * static_cast<int64_t>(blockDim.x / kWarp) + threadIdx.x / kWarp; r < plan.row_count; r += warps) {
        int64_t off[2];
        plan.rows.offsets(r, off);
        A x[E];
        A m = -static_cast<A>(INFINITY);
#pragma unroll
        for (int e = 0; e < E; ++e) {
            int64_t j = e * kWarp + lane;
            x[e] = j < plan.length ? convert<A>(src[off[1] + j]) : -static_cast<A>(INFINITY);
            m = x[e] > m ? x[e] : m;
        }
        m = warp_max(m);
        A s = 0;
#pragma unroll
        for (int e = 0; e < E; ++e) s += e * kWarp + lane < plan.length ? exp_of(x[e] - m) : A(0);
        s = warp_sum(s);
        MaxSum<A> st{m, s};
#pragma unroll
        for (int e = 0; e < E; ++e) {
            int64_t j = e * kWarp + lane;
            if (j < plan.length) dst[off[0] + j] = finish<T>(x[e], st, log);
        }
    }
}

template <typename T> __global__ void softmax_block_kernel(RowPlan<2> plan, T* dst, const T* src, bool log) {
    using A = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
    __shared__ MaxSum<A> shared[kWarp];
    for (int64_t r = blockIdx.x; r < plan.row_count; r += gridDim.x) {
        int64_t off[2];
        plan.rows.offsets(r, off);
        const T* in = src + off[1];
        MaxSum<A> st{-static_cast<A>(INFINITY), A(0)};
        for (int64_t j = threadIdx.x; j < plan.length; j += blockDim.x) st = push(st, convert<A>(in[j]));
        st = block_reduce(st, [](MaxSum<A> a, MaxSum<A> b) { return combine(a, b); }, MaxSum<A>{-static_cast<A>(INFINITY), A(0)}, shared);
        for (int64_t j = threadIdx.x; j < plan.length; j += blockDim.x) dst[off[0] + j] = finish<T>(convert<A>(in[j]), st, log);
    }
}

template <typename T> __global__ void softmax_thread_kernel(RowPlan<2> plan, T* dst, const T* src, bool log) {
    using A = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
    for (int64_t r = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; r < plan.row_count;
         r += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t off[2];
        plan.rows.offsets(r, off);
        MaxSum<A> st{-static_cast<A>(INFINITY), A(0)};
        for (int64_t j = 0; j < plan.length; ++j) st = push(st, convert<A>(src[off[1] + j * plan.along[1]]));
        for (int64_t j = 0; j < plan.length; ++j) dst[off[0] + j * plan.along[0]] = finish<T>(convert<A>(src[off[1] + j * plan.along[1]]), st, log);
    }
}

// Gradient: softmax gi = y * (g - sum(g * y)); log_softmax gi = g - exp(y) * sum(g).
template <typename T, typename A> __device__ __forceinline__ A backward_term(T g, T y, bool log) {
    return log ? convert<A>(g) : convert<A>(g) * convert<A>(y);
}
template <typename T, typename A> __device__ __forceinline__ T backward_value(T g, T y, A sum, bool log) {
    A gv = convert<A>(g), yv = convert<A>(y);
    return convert<T>(log ? gv - exp_of(yv) * sum : yv * (gv - sum));
}

// Operands: 0 grad_input, 1 grad_output, 2 output.
template <typename T> __global__ void softmax_backward_block_kernel(RowPlan<3> plan, T* gi, const T* go, const T* y, bool log) {
    using A = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
    __shared__ A shared[kWarp];
    for (int64_t r = blockIdx.x; r < plan.row_count; r += gridDim.x) {
        int64_t off[3];
        plan.rows.offsets(r, off);
        A sum = 0;
        for (int64_t j = threadIdx.x; j < plan.length; j += blockDim.x)
            sum += backward_term<T, A>(go[off[1] + j * plan.along[1]], y[off[2] + j * plan.along[2]], log);
        sum = block_reduce(sum, [](A a, A b) { return a + b; }, A(0), shared);
        for (int64_t j = threadIdx.x; j < plan.length; j += blockDim.x)
            gi[off[0] + j * plan.along[0]] = backward_value<T, A>(go[off[1] + j * plan.along[1]], y[off[2] + j * plan.along[2]], sum, log);
    }
}

template <typename T> __global__ void softmax_backward_thread_kernel(RowPlan<3> plan, T* gi, const T* go, const T* y, bool log) {
    using A = typename std::conditional<std::is_same<T, double>::value, double, float>::type;
    for (int64_t r = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; r < plan.row_count;
         r += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t off[3];
        plan.rows.offsets(r, off);
        A sum = 0;
        for (int64_t j = 0; j < plan.length; ++j) sum += backward_term<T, A>(go[off[1] + j * plan.along[1]], y[off[2] + j * plan.along[2]], log);
        for (int64_t j = 0; j < plan.length; ++j)
            gi[off[0] + j * plan.along[0]] = backward_value<T, A>(go[off[1] + j * plan.along[1]], y[off[2] + j * plan.along[2]], sum, log);
    }
}

int block_threads_for(int64_t length) {
    return length >= 1024 ? 1024 : static_cast<int>(std::max<int64_t>(kWarp, (length + kWarp - 1) / kWarp * kWarp));
}

template <typename T> pst_status launch_softmax(const RowPlan<2>& plan, T* dst, const T* src, bool log, cudaStream_t stream) {
    if (plan.row_count == 0 || plan.length == 0) return PST_SUCCESS;
    const bool contiguous_rows = plan.along[0] == 1 && plan.along[1] == 1;
    if (!contiguous_rows) {
        softmax_thread_kernel<T><<<blocks_for(plan.row_count), kThreads, 0, stream>>>(plan, dst, src, log);
    } else if (plan.length <= 1024) {
        const int warps_per_block = kThreads / kWarp;
        const unsigned int blocks = blocks_for(plan.row_count, warps_per_block);
        const int e = static_cast<int>((plan.length + kWarp - 1) / kWarp);
        if (e <= 1) softmax_warp_kernel<T, 1><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
        else if (e <= 2) softmax_warp_kernel<T, 2><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
        else if (e <= 4) softmax_warp_kernel<T, 4><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
        else if (e <= 8) softmax_warp_kernel<T, 8><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
        else if (e <= 16) softmax_warp_kernel<T, 16><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
        else softmax_warp_kernel<T, 32><<<blocks, kThreads, 0, stream>>>(plan, dst, src, log);
    } else {
        softmax_block_kernel<T><<<static_cast<unsigned int>(std::min<int64_t>(plan.row_count, 65535 * 32)), block_threads_for(plan.length), 0,
                                  stream>>>(plan, dst, src, log);
    }
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

template <typename T> pst_status launch_softmax_backward(const RowPlan<3>& plan, T* gi, const T* go, const T* y, bool log, cudaStream_t stream) {
    if (plan.row_count == 0 || plan.length == 0) return PST_SUCCESS;
    if (plan.along[0] == 1 && plan.along[1] == 1 && plan.along[2] == 1)
        softmax_backward_block_kernel<T><<<static_cast<unsigned int>(std::min<int64_t>(plan.row_count, 65535 * 32)),
                                           block_threads_for(plan.length), 0, stream>>>(plan, gi, go, y, log);
    else
        softmax_backward_thread_kernel<T><<<blocks_for(plan.row_count), kThreads, 0, stream>>>(plan, gi, go, y, log);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_softmax(const pst_tensor* dst, const pst_tensor* src, int32_t dim, int32_t log, void* stream) {
    const pst_tensor* operands[2] = {dst, src};
    PST_CHECK(check_same_shapes(operands, "pst_softmax"));
    PST_REQUIRE(dst->dtype == src->dtype, "pst_softmax: dst is %s but src is %s", dtype_name(dst->dtype), dtype_name(src->dtype));
    if (src->ndim == 0) {
        // A scalar is its own only row: softmax 1, log_softmax 0.
        return pst_fill(dst, log ? 0.0 : 1.0, stream);
    }
    PST_REQUIRE(dim >= 0 && dim < src->ndim, "pst_softmax: dim %d is outside 0..%d", dim, src->ndim - 1);
    const RowPlan<2> plan = make_row_plan(operands, dim);
    return visit_floating(src->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return launch_softmax<T>(plan, static_cast<T*>(dst->data), static_cast<const T*>(src->data), log != 0, as_stream(stream));
    });
}

pst_status pst_softmax_backward(const pst_tensor* grad_input, const pst_tensor* grad_output, const pst_tensor* output, int32_t dim, int32_t log,
                                void* stream) {
    const pst_tensor* operands[3] = {grad_input, grad_output, output};
    PST_CHECK(check_same_shapes(operands, "pst_softmax_backward"));
    PST_REQUIRE(grad_input->dtype == grad_output->dtype && output->dtype == grad_input->dtype, "pst_softmax_backward: operands must share one dtype");
    if (output->ndim == 0) return pst_fill(grad_input, 0.0, stream);
    PST_REQUIRE(dim >= 0 && dim < output->ndim, "pst_softmax_backward: dim %d is outside 0..%d", dim, output->ndim - 1);
    const RowPlan<3> plan = make_row_plan(operands, dim);
    return visit_floating(output->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return launch_softmax_backward<T>(plan, static_cast<T*>(grad_input->data), static_cast<const T*>(grad_output->data),
                                          static_cast<const T*>(output->data), log != 0, as_stream(stream));
    });
}

}  // extern "C"
