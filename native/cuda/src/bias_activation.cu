// A layer's bias add and the relu/GELU after it in one pass over contiguous [outer, channels, inner] operands
// (element i takes bias[(i / inner) % channels]), and the backward giving the pre-activation's gradient. The sum
// pre + bias is rounded to T before the activation, as the unfused add + activation round it, so fused and unfused
// results agree in every dtype; the math is in double for float64 and in float otherwise. The backward recomputes
// GELU's pre + bias from pre and bias; relu's reads the sign of the saved output (threshold_backward).
#include "gelu.cuh"

namespace pst {
namespace {

template <typename T> __device__ __forceinline__ acc_t<T> biased(const T* pre, const T* bias, int64_t i, int64_t channels, int64_t inner) {
    using A = acc_t<T>;
    if (bias == nullptr) return convert<A>(pre[i]);
    const int64_t c = (inner == 1 ? i : i / inner) % channels;
    return convert<A>(convert<T>(convert<A>(pre[i]) + convert<A>(bias[c])));
}

template <typename T> struct BiasActivationForward {
    T* y;
    const T* pre;
    const T* bias;
    int64_t channels, inner;
    pst_activation activation;
    __device__ __forceinline__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const A v = biased(pre, bias, i, channels, inner);
        // relu is clamp_min(x, 0): NaN and -0 pass unchanged
        y[i] = activation == PST_ACTIVATION_RELU ? (v < A(0) ? convert<T>(A(0)) : convert<T>(v))
                                                      : convert<T>(GeluMath<A>::forward(v, activation == PST_ACTIVATION_GELU_TANH));
    }
};

template <typename T> struct BiasActivationBackward {
    T* grad_pre;
    const T* grad_output;
    const T* saved;  // relu: its output; GELU: pre
    const T* bias;
    int64_t channels, inner;
    pst_activation activation;
    __device__ __forceinline__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        if (activation == PST_ACTIVATION_RELU) {
            grad_pre[i] = convert<A>(saved[i]) <= A(0) ? convert<T>(A(0)) : grad_output[i];   // a NaN output passes the gradient
            return;
        }
        const A v = biased(saved, bias, i, channels, inner);
        grad_pre[i] = convert<T>(convert<A>(grad_output[i]) * GeluMath<A>::derivative(v, activation == PST_ACTIVATION_GELU_TANH));
    }
};

pst_status check_activation(pst_activation activation, int64_t n, const char* what) {
    PST_REQUIRE(activation == PST_ACTIVATION_RELU || activation == PST_ACTIVATION_GELU || activation == PST_ACTIVATION_GELU_TANH,
                "%s: unknown activation %d", what, static_cast<int>(activation));
    PST_REQUIRE(n >= 0, "%s: negative element count %lld", what, static_cast<long long>(n));
    return PST_SUCCESS;
}

pst_status check_layout(int64_t n, int64_t channels, int64_t inner, const char* what) {
    PST_REQUIRE(channels > 0 && inner > 0 && n % (channels * inner) == 0, "%s: %lld elements are not [outer, %lld, %lld]", what,
                static_cast<long long>(n), static_cast<long long>(channels), static_cast<long long>(inner));
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_bias_activation(pst_dtype dtype, pst_activation activation, void* output, const void* pre, const void* bias, int64_t n,
                               int64_t channels, int64_t inner, void* stream) {
    PST_CHECK(check_activation(activation, n, "pst_bias_activation"));
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(check_layout(n, channels, inner, "pst_bias_activation"));
    PST_CHECK(require_pointers(output && pre, "pst_bias_activation"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(
            n, BiasActivationForward<T>{static_cast<T*>(output), static_cast<const T*>(pre), static_cast<const T*>(bias), channels, inner, activation},
            as_stream(stream));
    });
}

pst_status pst_bias_activation_backward(pst_dtype dtype, pst_activation activation, void* grad_pre, const void* grad_output, const void* saved,
                                        const void* bias, int64_t n, int64_t channels, int64_t inner, void* stream) {
    PST_CHECK(check_activation(activation, n, "pst_bias_activation_backward"));
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(check_layout(n, channels, inner, "pst_bias_activation_backward"));
    PST_CHECK(require_pointers(grad_pre && grad_output && saved, "pst_bias_activation_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n,
                              BiasActivationBackward<T>{static_cast<T*>(grad_pre), static_cast<const T*>(grad_output), static_cast<const T*>(saved),
                                                        static_cast<const T*>(bias), channels, inner, activation},
                              as_stream(stream));
    });
}

}  // extern "C"
