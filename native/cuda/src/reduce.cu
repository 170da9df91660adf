// Reductions over any set of dimensions of a strided tensor: sum, mean, prod, max, min, argmax, argmin,
// and max/min with indices. The reduced dimensions form the "inner" space of each output element.
//   rows:    a block (or several, "splits", for few outputs) per output; threads stride the inner space,
//            accumulate sequentially, then combine as a tree (warp shuffles, then across warps). Splits
//            write partial accumulators that a second kernel combines the same way.
//   columns: a thread per output looping over the inner space, when outputs are many and the inner space
//            is not contiguous (e.g. summing over dim 0): neighbouring threads read neighbouring elements.
// Floating-point sums accumulate in float (double for float64), so float16/bfloat16 do not lose precision.
#include "loops.cuh"

#include <cfloat>
#include <climits>

namespace pst {
namespace {

template <typename T> struct accumulate_type { using type = int64_t; };
template <> struct accumulate_type<half> { using type = float; };
template <> struct accumulate_type<bfloat16> { using type = float; };
template <> struct accumulate_type<float> { using type = float; };
template <> struct accumulate_type<double> { using type = double; };

template <typename C> __device__ __forceinline__ bool nan_value(C x) {
    if constexpr (std::is_floating_point<C>::value) return isnan(x);
    else return false;
}

template <typename C> __host__ __device__ constexpr C lowest() {
    if constexpr (std::is_same<C, float>::value) return -INFINITY;
    else if constexpr (std::is_same<C, double>::value) return -static_cast<double>(INFINITY);
    else if constexpr (std::is_same<C, bool>::value) return false;
    else return std::numeric_limits<C>::lowest();
}
template <typename C> __host__ __device__ constexpr C highest() {
    if constexpr (std::is_same<C, float>::value) return INFINITY;
    else if constexpr (std::is_same<C, double>::value) return static_cast<double>(INFINITY);
    else if constexpr (std::is_same<C, bool>::value) return true;
    else return std::numeric_limits<C>::max();
}

// sum / mean / prod: dst[o] = finish(combine over inner of load(src)).
template <typename Tin, typename Tout> struct SumReducer {
    using acc_t = typename accumulate_type<Tout>::type;
    Tout* dst;
    bool product;
    double scale;  // 1/count for mean, else 1
    __device__ acc_t identity() const { return product ? acc_t(1) : acc_t(0); }
    __device__ acc_t load(Tin x, int64_t) const { return convert<acc_t>(x); }
    __device__ acc_t operator()(acc_t a, acc_t b) const { return product ? a * b : a + b; }
    __device__ void store(acc_t a, int64_t o1, int64_t) const {
        if (scale != 1.0) a = static_cast<acc_t>(a * static_cast<acc_t>(scale));
        dst[o1] = convert<Tout>(a);
    }
};

// max / min values: NaN wins.
template <typename T> struct ExtremeReducer {
    using acc_t = compute_t<T>;
    T* dst;
    bool max;
    __device__ acc_t identity() const { return max ? lowest<acc_t>() : highest<acc_t>(); }
    __device__ acc_t load(T x, int64_t) const { return convert<acc_t>(x); }
    __device__ acc_t operator()(acc_t a, acc_t b) const {
        if (nan_value(a)) return a;
        if (nan_value(b)) return b;
        return max ? (b > a ? b : a) : (b < a ? b : a);
    }
    __device__ void store(acc_t a, int64_t o1, int64_t) const { dst[o1] = convert<T>(a); }
};

template <typename C> struct ValueIndex {
    C value;
    int64_t index;
};

template <typename C> __device__ __forceinline__ ValueIndex<C> shfl_xor(ValueIndex<C> v, int lane_mask) {
    return {pst::shfl_xor(v.value, lane_mask), pst::shfl_xor(v.index, lane_mask)};
}

// argmax / argmin, and max / min with indices: the first index of the extreme value (NaN counts as extreme).
// The combination is order-independent (ties go to the smaller index), so any tree gives the same answer.
template <typename T> struct ArgReducer {
    using C = compute_t<T>;
    using acc_t = ValueIndex<C>;
    T* values;         // NULL for argmax/argmin
    int64_t* indices;
    bool max;
    __device__ acc_t identity() const { return {max ? lowest<C>() : highest<C>(), INT64_MAX}; }
    __device__ acc_t load(T x, int64_t j) const { return {convert<C>(x), j}; }
    __device__ acc_t operator()(acc_t a, acc_t b) const {
        bool an = nan_value(a.value), bn = nan_value(b.value);
        if (an || bn) return an && (!bn || a.index < b.index) ? a : b;
        if (a.value == b.value) return a.index < b.index ? a : b;
        return (max ? b.value > a.value : b.value < a.value) ? b : a;
    }
    __device__ void store(acc_t a, int64_t o1, int64_t o2) const {
        if (values) values[o1] = convert<T>(a.value);
        indices[o2] = a.index == INT64_MAX ? 0 : a.index;
    }
};

struct ReducePlan {
    StridedIndexer<3> outer;  // output index -> (src, dst, second dst) offsets
    StridedIndexer<1> inner;  // index within the reduced dimensions -> src offset
    int64_t outputs;
    int64_t inner_count;
};

__device__ __forceinline__ int64_t inner_offset(const ReducePlan& plan, int64_t j) {
    if (plan.inner.ndim == 1) return j * plan.inner.strides[0][0];
    int64_t off[1];
    plan.inner.offsets(j, off);
    return off[0];
}

// Each block reduces inner elements [split * chunk, (split + 1) * chunk) of outputs blockIdx.y, + gridDim.y, ...
template <typename Tin, typename R>
__global__ void reduce_rows_kernel(ReducePlan plan, const Tin* __restrict__ src, R reducer, int64_t chunk,
                                   typename R::acc_t* partials) {
    using acc_t = typename R::acc_t;
    __shared__ alignas(16) unsigned char shared_bytes[kWarp * sizeof(acc_t)];
    acc_t* shared = reinterpret_cast<acc_t*>(shared_bytes);
    const int64_t begin = blockIdx.x * chunk;
    const int64_t end = min(plan.inner_count, begin + chunk);
    for (int64_t o = blockIdx.y; o < plan.outputs; o += gridDim.y) {
        int64_t off[3];
        plan.outer.offsets(o, off);
        const Tin* row = src + off[0];
        acc_t acc = reducer.identity();
        for (int64_t j = begin + threadIdx.x; j < end; j += blockDim.x)
            acc = reducer(acc, reducer.load(row[inner_offset(plan, j)], j));
        acc = block_reduce(acc, reducer, reducer.identity(), shared);
        if (threadIdx.x == 0) {
            if (partials) partials[o * gridDim.x + blockIdx.x] = acc;
            else reducer.store(acc, off[1], off[2]);
        }
    }
}

// Combines the `splits` partial accumulators of each output (one block per output).
template <typename R> __global__ void reduce_partials_kernel(ReducePlan plan, R reducer, const typename R::acc_t* partials, int splits) {
    using acc_t = typename R::acc_t;
    __shared__ alignas(16) unsigned char shared_bytes[kWarp * sizeof(acc_t)];
    acc_t* shared = reinterpret_cast<acc_t*>(shared_bytes);
    for (int64_t o = blockIdx.x; o < plan.outputs; o += gridDim.x) {
        acc_t acc = reducer.identity();
        for (int s = threadIdx.x; s < splits; s += blockDim.x) acc = reducer(acc, partials[o * splits + s]);
        acc = block_reduce(acc, reducer, reducer.identity(), shared);
        if (threadIdx.x == 0) {
            int64_t off[3];
            plan.outer.offsets(o, off);
            reducer.store(acc, off[1], off[2]);
        }
    }
}

template <typename Tin, typename R> __global__ void reduce_columns_kernel(ReducePlan plan, const Tin* __restrict__ src, R reducer) {
    for (int64_t o = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; o < plan.outputs;
         o += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t off[3];
        plan.outer.offsets(o, off);
        const Tin* column = src + off[0];
        typename R::acc_t acc = reducer.identity();
        for (int64_t j = 0; j < plan.inner_count; ++j) acc = reducer(acc, reducer.load(column[inner_offset(plan, j)], j));
        reducer.store(acc, off[1], off[2]);
    }
}

int multiprocessors() {
    int device = 0, count = 0;
    if (cudaGetDevice(&device) != cudaSuccess || cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device) != cudaSuccess) {
        cudaGetLastError();
        return 80;
    }
    return count;
}

// Splits src's dimensions into kept (outer, shared with dst and dst2) and reduced (inner) ones, coalesced.
ReducePlan make_plan(const pst_tensor& src, const pst_tensor& dst, const pst_tensor& dst2, uint32_t mask) {
    pst_tensor outer_src{}, outer_dst{}, outer_dst2{}, inner{};
    for (int d = 0; d < src.ndim; ++d) {
        if (mask & (1u << d)) {
            inner.sizes[inner.ndim] = src.sizes[d];
            inner.strides[inner.ndim++] = src.strides[d];
        } else {
            int k = outer_src.ndim++;
            outer_src.sizes[k] = outer_dst.sizes[k] = outer_dst2.sizes[k] = src.sizes[d];
            outer_src.strides[k] = src.strides[d];
            outer_dst.strides[k] = dst.strides[d];
            outer_dst2.strides[k] = dst2.strides[d];
            outer_dst.ndim = outer_dst2.ndim = outer_src.ndim;
        }
    }
    const pst_tensor* outer_operands[3] = {&outer_src, &outer_dst, &outer_dst2};
    const pst_tensor* inner_operands[1] = {&inner};
    return ReducePlan{make_indexer(outer_operands), make_indexer(inner_operands), numel(outer_src), numel(inner)};
}

template <typename Tin, typename R> pst_status launch_reduce(const ReducePlan& plan, const Tin* src, R reducer, cudaStream_t stream) {
    using acc_t = typename R::acc_t;
    if (plan.outputs == 0) return PST_SUCCESS;
    const bool inner_contiguous = plan.inner.ndim <= 1 && (plan.inner.ndim == 0 || plan.inner.strides[0][0] == 1);
    if (!inner_contiguous && plan.outputs >= 4096) {
        reduce_columns_kernel<Tin, R><<<blocks_for(plan.outputs), kThreads, 0, stream>>>(plan, src, reducer);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    }
    // Enough blocks to fill the device: few outputs get their inner space split over several blocks,
    // each split at least 4096 elements.
    const int64_t target_blocks = 4LL * multiprocessors();
    int64_t splits = 1;
    if (plan.outputs < target_blocks) {
        splits = (target_blocks + plan.outputs - 1) / plan.outputs;
        splits = std::min<int64_t>(splits, std::max<int64_t>(1, plan.inner_count / 4096));
        splits = std::min<int64_t>(splits, 1024);
    }
    const int64_t chunk = (plan.inner_count + splits - 1) / splits;
    int threads = plan.inner_count >= 512 ? 512 : static_cast<int>(std::max<int64_t>(kWarp, (plan.inner_count + kWarp - 1) / kWarp * kWarp));
    const unsigned int grid_y = static_cast<unsigned int>(std::min<int64_t>(plan.outputs, 65535));
    acc_t* partials = nullptr;
    if (splits > 1)
        PST_CUDA_CHECK(cudaMallocAsync(reinterpret_cast<void**>(&partials), sizeof(acc_t) * plan.outputs * splits, stream));
    reduce_rows_kernel<Tin, R><<<dim3(static_cast<unsigned int>(splits), grid_y), threads, 0, stream>>>(plan, src, reducer, chunk, partials);
    cudaError_t launch = cudaGetLastError();
    if (splits > 1 && launch == cudaSuccess) {
        reduce_partials_kernel<R><<<static_cast<unsigned int>(std::min<int64_t>(plan.outputs, 65535)), 256, 0, stream>>>(
            plan, reducer, partials, static_cast<int>(splits));
        launch = cudaGetLastError();
    }
    if (partials) PST_CUDA_CHECK(cudaFreeAsync(partials, stream));
    PST_CUDA_CHECK(launch);
    return PST_SUCCESS;
}

pst_status check_keepdim(const pst_tensor& src, const pst_tensor& out, uint32_t mask, const char* what) {
    PST_REQUIRE(out.ndim == src.ndim, "%s: the output has %d dimensions, the input %d", what, out.ndim, src.ndim);
    for (int d = 0; d < src.ndim; ++d) {
        int64_t expected = (mask & (1u << d)) ? 1 : src.sizes[d];
        PST_REQUIRE(out.sizes[d] == expected, "%s: output size %lld in dimension %d should be %lld", what,
                    static_cast<long long>(out.sizes[d]), d, static_cast<long long>(expected));
    }
    return PST_SUCCESS;
}

template <typename Tin, typename Tout>
pst_status sum_like(pst_reduce_op op, const pst_tensor* dst, const pst_tensor* src, const ReducePlan& plan, cudaStream_t s) {
    Tout* out = static_cast<Tout*>(dst->data);
    const Tin* in = static_cast<const Tin*>(src->data);
    double scale = op == PST_REDUCE_MEAN ? 1.0 / static_cast<double>(plan.inner_count) : 1.0;
    return launch_reduce(plan, in, SumReducer<Tin, Tout>{out, op == PST_REDUCE_PROD, scale}, s);
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_reduce(pst_reduce_op op, const pst_tensor* dst, const pst_tensor* src, uint32_t dim_mask, void* stream) {
    PST_CHECK(check_tensor(dst, "pst_reduce"));
    PST_CHECK(check_tensor(src, "pst_reduce"));
    PST_REQUIRE((dim_mask >> src->ndim) == 0 || src->ndim == 32, "pst_reduce: dim_mask 0x%x names a dimension beyond ndim %d", dim_mask, src->ndim);
    PST_CHECK(check_keepdim(*src, *dst, dim_mask, "pst_reduce"));
    const ReducePlan plan = make_plan(*src, *dst, *dst, dim_mask);
    const bool empty_reduction = plan.inner_count == 0 && plan.outputs > 0;
    cudaStream_t s = as_stream(stream);
    switch (op) {
        case PST_REDUCE_SUM:
        case PST_REDUCE_MEAN:
        case PST_REDUCE_PROD:
            if (op == PST_REDUCE_MEAN)
                PST_REQUIRE(dst->dtype == src->dtype && (src->dtype >= PST_FLOAT16), "pst_reduce: mean needs a floating-point src and dst of its dtype");
            if (dst->dtype == src->dtype)
                return visit_all(src->dtype, [&](auto tag) {
                    using T = typename decltype(tag)::type;
                    return sum_like<T, T>(op, dst, src, plan, s);
                });
            PST_REQUIRE(dst->dtype == PST_INT64 && src->dtype < PST_FLOAT16, "pst_reduce: a %s sum cannot be written as %s",
                        dtype_name(src->dtype), dtype_name(dst->dtype));
            return visit_all(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                return sum_like<T, int64_t>(op, dst, src, plan, s);
            });
        case PST_REDUCE_MAX:
        case PST_REDUCE_MIN:
            PST_REQUIRE(dst->dtype == src->dtype, "pst_reduce: max/min write the input's dtype");
            if (empty_reduction) PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "max(): Expected reduction dim to be specified for input.numel() == 0.");
            return visit_all(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                T* out = static_cast<T*>(dst->data);
                const T* in = static_cast<const T*>(src->data);
                return launch_reduce(plan, in, ExtremeReducer<T>{out, op == PST_REDUCE_MAX}, s);
            });
        case PST_REDUCE_ARGMAX:
        case PST_REDUCE_ARGMIN:
            PST_REQUIRE(dst->dtype == PST_INT64, "pst_reduce: argmax/argmin write int64");
            if (empty_reduction) PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
            return visit_all(src->dtype, [&](auto tag) {
                using T = typename decltype(tag)::type;
                int64_t* out = static_cast<int64_t*>(dst->data);
                const T* in = static_cast<const T*>(src->data);
                return launch_reduce(plan, in, ArgReducer<T>{nullptr, out, op == PST_REDUCE_ARGMAX}, s);
            });
        default: PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "pst_reduce: unknown op code %d", static_cast<int>(op));
    }
}

pst_status pst_reduce_with_indices(pst_reduce_op op, const pst_tensor* values, const pst_tensor* indices, const pst_tensor* src, int32_t dim,
                                   void* stream) {
    PST_CHECK(check_tensor(values, "pst_reduce_with_indices"));
    PST_CHECK(check_tensor(indices, "pst_reduce_with_indices"));
    PST_CHECK(check_tensor(src, "pst_reduce_with_indices"));
    PST_REQUIRE(dim >= 0 && dim < src->ndim, "pst_reduce_with_indices: dim %d is outside 0..%d", dim, src->ndim - 1);
    PST_REQUIRE(op == PST_REDUCE_MAX || op == PST_REDUCE_MIN, "pst_reduce_with_indices: op must be MAX or MIN");
    PST_REQUIRE(values->dtype == src->dtype && indices->dtype == PST_INT64, "pst_reduce_with_indices: values have src's dtype, indices int64");
    const uint32_t mask = 1u << dim;
    PST_CHECK(check_keepdim(*src, *values, mask, "pst_reduce_with_indices"));
    PST_CHECK(check_keepdim(*src, *indices, mask, "pst_reduce_with_indices"));
    const ReducePlan plan = make_plan(*src, *values, *indices, mask);
    if (plan.inner_count == 0 && plan.outputs > 0)
        PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "max(): Expected reduction dim %d to have non-zero size.", dim);
    return visit_all(src->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* v = static_cast<T*>(values->data);
        int64_t* ix = static_cast<int64_t*>(indices->data);
        const T* in = static_cast<const T*>(src->data);
        return launch_reduce(plan, in, ArgReducer<T>{v, ix, op == PST_REDUCE_MAX}, as_stream(stream));
    });
}

}  // extern "C"
