// Shared by the nn kernel files (activations, pooling, conv, losses, normalization, optimizers): contiguous
// operands given as plain pointers and element counts, the accumulation type, and argument checks.
#pragma once

#include "loops.cuh"

namespace pst {

// Where sums and statistics accumulate: double for float64, float for every other floating type.
template <typename T> using acc_t = typename std::conditional<std::is_same<T, double>::value, double, float>::type;

template <typename F> struct IndexOnly {
    F f;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&)[1]) const { f(i); }
};

// Runs the functor f(i) for i in [0, n) over a grid-stride loop (the contiguous case of for_each_element).
template <typename F> pst_status for_each_index(int64_t n, F f, cudaStream_t stream) {
    if (n <= 0) return PST_SUCCESS;
    contiguous_loop_kernel<1><<<blocks_for(n), kThreads, 0, stream>>>(n, IndexOnly<F>{f});
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

inline pst_status require_pointers(bool ok, const char* what) {
    if (!ok) PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "%s: a required device pointer is NULL", what);
    return PST_SUCCESS;
}

}  // namespace pst
