// Dropout with the draws of pst_fill_uniform(0, 1) (the CPU's Functional.Dropout compares torch.rand_like's
// numbers with p), writing the kept-mask for the backward, and the backward as a masked scale.
#include "nn.cuh"
#include "philox.cuh"

namespace pst {
namespace {

template <typename T> struct DropoutElement {
    T* y;
    uint8_t* mask;
    const T* x;
    double p;
    uint64_t seed, offset;
    __device__ void operator()(int64_t i) const {
        bool keep;
        if constexpr (std::is_same<T, double>::value) {
            const Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
            const int pair = static_cast<int>(i % 2) * 2;
            const double u = unit_double(w.w[pair], w.w[pair + 1]);
            keep = u >= p;
            y[i] = x[i] * (keep ? 1.0 / (1.0 - p) : 0.0);
        } else {
            const Words w = philox(offset + static_cast<uint64_t>(i) / 4, seed);
            const float u = unit_float(w.w[i % 4]);
            keep = u >= static_cast<float>(p);
            y[i] = convert<T>(to_float(x[i]) * (keep ? 1.0f / static_cast<float>(1.0 - p) : 0.0f));
        }
        if (mask) mask[i] = keep ? 1 : 0;
    }
};

template <typename T> struct DropoutBackward {
    T* gx;
    const T* gy;
    const uint8_t* mask;
    double p;
    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const A scale = std::is_same<T, double>::value ? static_cast<A>(1.0 / (1.0 - p)) : static_cast<A>(1.0f / static_cast<float>(1.0 - p));
        gx[i] = convert<T>(convert<A>(gy[i]) * (mask[i] ? scale : A(0)));
    }
};

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_dropout(pst_dtype dtype, void* output, uint8_t* mask, const void* input, int64_t n, double p, uint64_t seed, uint64_t offset, void* stream) {
    PST_REQUIRE(n >= 0, "pst_dropout: negative element count");
    PST_REQUIRE(p >= 0 && p < 1, "pst_dropout: p must be in [0, 1), got %g (the caller handles p == 1)", p);
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && input, "pst_dropout"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n, DropoutElement<T>{static_cast<T*>(output), mask, static_cast<const T*>(input), p, seed, offset}, as_stream(stream));
    });
}

pst_status pst_dropout_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const uint8_t* mask, int64_t n, double p, void* stream) {
    PST_REQUIRE(n >= 0, "pst_dropout_backward: negative element count");
    PST_REQUIRE(p >= 0 && p < 1, "pst_dropout_backward: p must be in [0, 1), got %g", p);
    if (n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && grad_output && mask, "pst_dropout_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(n, DropoutBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), mask, p}, as_stream(stream));
    });
}

}  // extern "C"
