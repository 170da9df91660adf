// Shared by every .cu file: error reporting, launch helpers, element types, strided indexing,
// warp/block reductions and 128-bit vector loads.
#pragma once

#include "pstorch_cuda.h"

#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <cstdint>
#include <cstdio>
#include <cmath>
#include <type_traits>

namespace pst {

// ---- errors ----------------------------------------------------------------------------------------

// Records this thread's last error message ("<what> at <file>:<line>") and returns status.
pst_status set_error(pst_status status, const char* file, int line, const char* format, ...);
void clear_error();

pst_status status_from_cuda(cudaError_t error);

#define PST_FAIL(status, ...) return ::pst::set_error((status), __FILE__, __LINE__, __VA_ARGS__)

// Returns from the enclosing function with a status carrying the CUDA error, call and place.
#define PST_CUDA_CHECK(call)                                                                        \
    do {                                                                                            \
        cudaError_t pst_err_ = (call);                                                              \
        if (pst_err_ != cudaSuccess)                                                                \
            return ::pst::set_error(::pst::status_from_cuda(pst_err_), __FILE__, __LINE__, "%s: %s (%s)", \
                                    #call, cudaGetErrorString(pst_err_), cudaGetErrorName(pst_err_));  \
    } while (0)

// After a kernel launch: reports a bad configuration (a launch error), not an asynchronous fault.
#define PST_LAUNCH_CHECK() PST_CUDA_CHECK(cudaGetLastError())

// Propagates a failed pst_status from a helper.
#define PST_CHECK(call)                                                                             \
    do {                                                                                            \
        pst_status pst_st_ = (call);                                                                \
        if (pst_st_ != PST_SUCCESS) return pst_st_;                                                 \
    } while (0)

#define PST_REQUIRE(condition, ...)                                                                 \
    do {                                                                                            \
        if (!(condition)) PST_FAIL(PST_ERROR_INVALID_ARGUMENT, __VA_ARGS__);                        \
    } while (0)

inline cudaStream_t as_stream(void* stream) { return static_cast<cudaStream_t>(stream); }

// ---- launch helpers ----------------------------------------------------------------------------------

constexpr int kThreads = 256;
constexpr int kWarp = 32;

// Blocks for n work items at `per_thread` items per thread, capped so grid-stride loops cover the rest.
inline unsigned int blocks_for(int64_t n, int threads = kThreads, int per_thread = 1) {
    int64_t per_block = static_cast<int64_t>(threads) * per_thread;
    int64_t blocks = (n + per_block - 1) / per_block;
    const int64_t cap = 65535LL * 32;  // plenty to fill any GPU; grid-stride beyond
    if (blocks < 1) blocks = 1;
    return static_cast<unsigned int>(blocks < cap ? blocks : cap);
}

// ---- element types -----------------------------------------------------------------------------------

using half = __half;
using bfloat16 = __nv_bfloat16;

// The type arithmetic happens in: half types compute in float.
template <typename T> struct compute_type { using type = T; };
template <> struct compute_type<half> { using type = float; };
template <> struct compute_type<bfloat16> { using type = float; };
template <typename T> using compute_t = typename compute_type<T>::type;

template <typename T> constexpr bool is_floating_v =
    std::is_floating_point<T>::value || std::is_same<T, half>::value || std::is_same<T, bfloat16>::value;

// Conversion as a C cast, through float for the half types (bool: nonzero is true).
template <typename To, typename From> __device__ __forceinline__ To convert(From x);

template <typename T> __device__ __forceinline__ float to_float(T x) { return static_cast<float>(x); }
template <> __device__ __forceinline__ float to_float<half>(half x) { return __half2float(x); }
template <> __device__ __forceinline__ float to_float<bfloat16>(bfloat16 x) { return __bfloat162float(x); }

template <typename To, typename From> struct converter {
    __device__ __forceinline__ static To apply(From x) { return static_cast<To>(x); }
};
template <typename From> struct converter<bool, From> {
    __device__ __forceinline__ static bool apply(From x) { return to_float(x) != 0.0f; }
};
template <> struct converter<bool, int64_t> { __device__ __forceinline__ static bool apply(int64_t x) { return x != 0; } };
template <> struct converter<bool, double> { __device__ __forceinline__ static bool apply(double x) { return x != 0.0; } };
template <> struct converter<bool, bool> { __device__ __forceinline__ static bool apply(bool x) { return x; } };
template <typename From> struct converter<half, From> {
    __device__ __forceinline__ static half apply(From x) { return __float2half_rn(static_cast<float>(x)); }
};
template <> struct converter<half, double> { __device__ __forceinline__ static half apply(double x) { return __double2half(x); } };
template <> struct converter<half, half> { __device__ __forceinline__ static half apply(half x) { return x; } };
template <> struct converter<half, bfloat16> {
    __device__ __forceinline__ static half apply(bfloat16 x) { return __float2half_rn(__bfloat162float(x)); }
};
template <typename From> struct converter<bfloat16, From> {
    __device__ __forceinline__ static bfloat16 apply(From x) { return __float2bfloat16_rn(static_cast<float>(x)); }
};
template <> struct converter<bfloat16, bfloat16> { __device__ __forceinline__ static bfloat16 apply(bfloat16 x) { return x; } };
template <> struct converter<bfloat16, half> {
    __device__ __forceinline__ static bfloat16 apply(half x) { return __float2bfloat16_rn(__half2float(x)); }
};
// From a half type to a non-half type: widen to float first.
template <typename To> struct converter<To, half> {
    __device__ __forceinline__ static To apply(half x) { return static_cast<To>(__half2float(x)); }
};
template <typename To> struct converter<To, bfloat16> {
    __device__ __forceinline__ static To apply(bfloat16 x) { return static_cast<To>(__bfloat162float(x)); }
};
template <> struct converter<bool, half> { __device__ __forceinline__ static bool apply(half x) { return __half2float(x) != 0.0f; } };
template <> struct converter<bool, bfloat16> {
    __device__ __forceinline__ static bool apply(bfloat16 x) { return __bfloat162float(x) != 0.0f; }
};

template <typename To, typename From> __device__ __forceinline__ To convert(From x) { return converter<To, From>::apply(x); }

// Calls f.template operator()<T>() with the C++ type of dtype; returns PST_ERROR_NOT_SUPPORTED for others.
#define PST_DISPATCH_CASE(code, type) case code: return f.template operator()<type>();
template <typename F> pst_status dispatch_all(pst_dtype dtype, F&& f) {
    switch (dtype) {
        PST_DISPATCH_CASE(PST_BOOL, bool)
        PST_DISPATCH_CASE(PST_UINT8, uint8_t)
        PST_DISPATCH_CASE(PST_INT8, int8_t)
        PST_DISPATCH_CASE(PST_INT16, int16_t)
        PST_DISPATCH_CASE(PST_INT32, int32_t)
        PST_DISPATCH_CASE(PST_INT64, int64_t)
        PST_DISPATCH_CASE(PST_FLOAT16, half)
        PST_DISPATCH_CASE(PST_BFLOAT16, bfloat16)
        PST_DISPATCH_CASE(PST_FLOAT32, float)
        PST_DISPATCH_CASE(PST_FLOAT64, double)
        default: PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "unknown dtype code %d", static_cast<int>(dtype));
    }
}
template <typename F> pst_status dispatch_floating(pst_dtype dtype, F&& f) {
    switch (dtype) {
        PST_DISPATCH_CASE(PST_FLOAT16, half)
        PST_DISPATCH_CASE(PST_BFLOAT16, bfloat16)
        PST_DISPATCH_CASE(PST_FLOAT32, float)
        PST_DISPATCH_CASE(PST_FLOAT64, double)
        default: PST_FAIL(PST_ERROR_NOT_SUPPORTED, "dtype code %d is not a floating-point dtype", static_cast<int>(dtype));
    }
}

const char* dtype_name(pst_dtype dtype);
int dtype_size(pst_dtype dtype);

// ---- shapes and strided indexing ---------------------------------------------------------------------

// Checks a descriptor: known dtype, 0 <= ndim <= PST_MAX_DIMS, sizes >= 0, data non-null when non-empty.
pst_status check_tensor(const pst_tensor* t, const char* what);
int64_t numel(const pst_tensor& t);
bool same_shape(const pst_tensor& a, const pst_tensor& b);
bool is_contiguous(const pst_tensor& t);

// N operands walked together over one shape. Built on the host with dimensions coalesced (adjacent
// dimensions merged where every operand allows it, size-1 dimensions dropped), so the device loop
// divides by as few sizes as possible.
template <int N> struct StridedIndexer {
    int ndim;
    int64_t sizes[PST_MAX_DIMS];
    int64_t strides[N][PST_MAX_DIMS];

    // Element offsets (in elements) of linear index i for every operand.
    __device__ __forceinline__ void offsets(int64_t i, int64_t (&out)[N]) const {
#pragma unroll
        for (int k = 0; k < N; ++k) out[k] = 0;
        for (int d = ndim - 1; d >= 0; --d) {
            int64_t size = sizes[d];
            int64_t q = i / size;
            int64_t r = i - q * size;
            i = q;
#pragma unroll
            for (int k = 0; k < N; ++k) out[k] += r * strides[k][d];
        }
    }
};

// Builds the indexer for operands sharing `shape` (the sizes of operands[0]).
template <int N> StridedIndexer<N> make_indexer(const pst_tensor* const (&operands)[N]) {
    StridedIndexer<N> ix{};
    const pst_tensor& shape = *operands[0];
    int nd = 0;
    for (int d = 0; d < shape.ndim; ++d) {
        if (shape.sizes[d] == 1) continue;
        bool merge = nd > 0;
        for (int k = 0; k < N && merge; ++k)
            merge = ix.strides[k][nd - 1] == operands[k]->strides[d] * shape.sizes[d];
        if (merge) {
            ix.sizes[nd - 1] *= shape.sizes[d];
            for (int k = 0; k < N; ++k) ix.strides[k][nd - 1] = operands[k]->strides[d];
        } else {
            ix.sizes[nd] = shape.sizes[d];
            for (int k = 0; k < N; ++k) ix.strides[k][nd] = operands[k]->strides[d];
            ++nd;
        }
    }
    ix.ndim = nd;
    return ix;
}

// True when the indexer is one dimension of stride 1 for every operand (or a single element).
template <int N> bool all_contiguous(const StridedIndexer<N>& ix) {
    if (ix.ndim == 0) return true;
    if (ix.ndim != 1) return false;
    for (int k = 0; k < N; ++k)
        if (ix.strides[k][0] != 1) return false;
    return true;
}

// ---- reductions within a warp and a block ------------------------------------------------------------

// __shfl_xor_sync for any arithmetic type (types under 32 bits travel as int); structs overload it.
template <typename T> __device__ __forceinline__ T shfl_xor(T v, int lane_mask) {
    if constexpr (sizeof(T) < 4) return static_cast<T>(__shfl_xor_sync(0xffffffffu, static_cast<int>(v), lane_mask));
    else return __shfl_xor_sync(0xffffffffu, v, lane_mask);
}

template <typename T, typename Op> __device__ __forceinline__ T warp_reduce(T v, Op op) {
#pragma unroll
    for (int o = kWarp / 2; o > 0; o >>= 1) v = op(v, shfl_xor(v, o));
    return v;
}

template <typename T> __device__ __forceinline__ T warp_sum(T v) {
    return warp_reduce(v, [](T a, T b) { return a + b; });
}

template <typename T> __device__ __forceinline__ T warp_max(T v) {
    return warp_reduce(v, [](T a, T b) { return a > b ? a : b; });
}

// Combines one value per thread into every thread's result with `op` (a tree: warp shuffles, then one
// warp over the warps' results); `shared` holds one T per warp. Every thread of the block must call it;
// blockDim.x is a multiple of 32 and at most 1024.
template <typename T, typename Op> __device__ __forceinline__ T block_reduce(T v, Op op, T identity, T* shared) {
    const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp, warps = blockDim.x / kWarp;
    v = warp_reduce(v, op);
    __syncthreads();  // shared may still be read by a previous call
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < warps ? shared[lane] : identity;
    return warp_reduce(v, op);
}

// ---- 128-bit vector access ---------------------------------------------------------------------------

template <typename T> struct alignas(16) Vec16 {
    static constexpr int kCount = 16 / sizeof(T);
    T v[kCount];
};

template <typename T> __device__ __forceinline__ Vec16<T> load16(const T* p) {
    Vec16<T> out;
    *reinterpret_cast<int4*>(&out) = __ldg(reinterpret_cast<const int4*>(p));
    return out;
}

template <typename T> __device__ __forceinline__ void store16(T* p, const Vec16<T>& value) {
    *reinterpret_cast<int4*>(p) = *reinterpret_cast<const int4*>(&value);
}

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

}  // namespace pst
