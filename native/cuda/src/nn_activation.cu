// relu's gradient and GELU (exact erf form and tanh approximation) forward and backward, on contiguous
// operands: the formulas of the CPU's GeluKernels, in double for float64 and in float otherwise.
#include "gelu.cuh"

namespace pst {
namespace {

template <typename T> struct ReluBackward {
    T* gx;
    const T* gy;
    const T* y;
    __device__ __forceinline__ void operator()(int64_t i) const {
        gx[i] = to_float(y[i]) <= 0.0f ? convert<T>(0.0f) : gy[i];   // threshold_backward: a NaN output passes the gradient
    }
};
template <> struct ReluBackward<double> {
    double* gx;
    const double* gy;
    const double* y;
    __device__ __forceinline__ void operator()(int64_t i) const { gx[i] = y[i] <= 0.0 ? 0.0 : gy[i]; }
};

template <typename T> struct GeluForward {
    T* y;
    const T* x;
    bool tanh_form;
    __device__ __forceinline__ void operator()(int64_t i) const {
        y[i] = convert<T>(GeluMath<acc_t<T>>::forward(convert<acc_t<T>>(x[i]), tanh_form));
    }
};

template <typename T> struct GeluBackward {
    T* gx;
    const T* gy;
    const T* x;
    bool tanh_form;
    __device__ __forceinline__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        gx[i] = convert<T>(convert<A>(gy[i]) * GeluMath<A>::derivative(convert<A>(x[i]), tanh_form));
    }
};

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_relu_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const void* output, int64_t n, void* stream) {
    PST_REQUIRE(n >= 0, "pst_relu_backward: negative element count %lld", static_cast<long long>(n));
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && grad_output && output, "pst_relu_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n, ReluBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), static_cast<const T*>(output)},
                              as_stream(stream));
    });
}

pst_status pst_gelu(pst_dtype dtype, void* output, const void* input, int64_t n, int32_t tanh_approximation, void* stream) {
    PST_REQUIRE(n >= 0, "pst_gelu: negative element count %lld", static_cast<long long>(n));
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && input, "pst_gelu"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n, GeluForward<T>{static_cast<T*>(output), static_cast<const T*>(input), tanh_approximation != 0}, as_stream(stream));
    });
}

pst_status pst_gelu_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const void* input, int64_t n, int32_t tanh_approximation,
                             void* stream) {
    PST_REQUIRE(n >= 0, "pst_gelu_backward: negative element count %lld", static_cast<long long>(n));
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && grad_output && input, "pst_gelu_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n, GeluBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), static_cast<const T*>(input),
                                                 tanh_approximation != 0},
                              as_stream(stream));
    });
}

}  // extern "C"
