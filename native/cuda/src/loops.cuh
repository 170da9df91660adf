// Loops over every element of operands sharing one shape: the launch helper behind copy, elementwise
// and random kernels. A functor gets the row-major linear index and each operand's element offset.
#pragma once

#include "common.cuh"

namespace pst {

template <typename T> struct type_tag { using type = T; };

// Calls f(type_tag<T>{}) with the C++ type of dtype.
template <typename F> pst_status visit_all(pst_dtype dtype, F&& f) {
    switch (dtype) {
        case PST_BOOL: return f(type_tag<bool>{});
        case PST_UINT8: return f(type_tag<uint8_t>{});
        case PST_INT8: return f(type_tag<int8_t>{});
        case PST_INT16: return f(type_tag<int16_t>{});
        case PST_INT32: return f(type_tag<int32_t>{});
        case PST_INT64: return f(type_tag<int64_t>{});
        case PST_FLOAT16: return f(type_tag<half>{});
        case PST_BFLOAT16: return f(type_tag<bfloat16>{});
        case PST_FLOAT32: return f(type_tag<float>{});
        case PST_FLOAT64: return f(type_tag<double>{});
        default: PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "unknown dtype code %d", static_cast<int>(dtype));
    }
}

template <typename F> pst_status visit_floating(pst_dtype dtype, F&& f) {
    switch (dtype) {
        case PST_FLOAT16: return f(type_tag<half>{});
        case PST_BFLOAT16: return f(type_tag<bfloat16>{});
        case PST_FLOAT32: return f(type_tag<float>{});
        case PST_FLOAT64: return f(type_tag<double>{});
        default: PST_FAIL(PST_ERROR_NOT_SUPPORTED, "not implemented for '%s' (needs a floating-point dtype)", dtype_name(dtype));
    }
}

template <int N, typename F> __global__ void contiguous_loop_kernel(int64_t n, F f) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t offsets[N];
#pragma unroll
        for (int k = 0; k < N; ++k) offsets[k] = i;
        f(i, offsets);
    }
}

template <int N, typename F> __global__ void strided_loop_kernel(StridedIndexer<N> indexer, int64_t n, F f) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t offsets[N];
        indexer.offsets(i, offsets);
        f(i, offsets);
    }
}

// Runs f over every element of operands[0]'s shape (the others have that shape too).
template <int N, typename F> pst_status for_each_element(const pst_tensor* const (&operands)[N], F f, cudaStream_t stream) {
    int64_t n = numel(*operands[0]);
    if (n == 0) return PST_SUCCESS;
    StridedIndexer<N> indexer = make_indexer(operands);
    if (all_contiguous(indexer))
        contiguous_loop_kernel<N><<<blocks_for(n), kThreads, 0, stream>>>(n, f);
    else
        strided_loop_kernel<N><<<blocks_for(n), kThreads, 0, stream>>>(indexer, n, f);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

// Checks that every operand is a valid descriptor with operands[0]'s shape.
template <int N> pst_status check_same_shapes(const pst_tensor* const (&operands)[N], const char* what) {
    for (int k = 0; k < N; ++k) PST_CHECK(check_tensor(operands[k], what));
    for (int k = 1; k < N; ++k)
        PST_REQUIRE(same_shape(*operands[0], *operands[k]), "%s: operand %d does not have the output's shape", what, k);
    return PST_SUCCESS;
}

}  // namespace pst
