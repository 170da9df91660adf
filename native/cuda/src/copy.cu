// Copy with dtype conversion between any two strided tensors of one shape, and fill.
#include "loops.cuh"

namespace pst {
namespace {

template <typename To, typename From> struct CopyElement {
    To* dst;
    const From* src;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[2]) const { dst[o[0]] = convert<To>(src[o[1]]); }
};

template <typename T> struct FillElement {
    T* dst;
    T value;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[1]) const { dst[o[0]] = value; }
};

// The host-side value of a fill in dst's type (the same C cast the kernels use, done once).
template <typename T> T host_value(double v) { return static_cast<T>(v); }
template <> half host_value<half>(double v) { return __double2half(v); }
template <> bfloat16 host_value<bfloat16>(double v) { return __float2bfloat16(static_cast<float>(v)); }
template <> bool host_value<bool>(double v) { return v != 0.0; }

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_copy(const pst_tensor* dst, const pst_tensor* src, void* stream) {
    const pst_tensor* operands[2] = {dst, src};
    PST_CHECK(check_same_shapes(operands, "pst_copy"));
    int64_t n = numel(*dst);
    if (n == 0) return PST_SUCCESS;
    if (dst->dtype == src->dtype && is_contiguous(*dst) && is_contiguous(*src)) {
        PST_CUDA_CHECK(cudaMemcpyAsync(dst->data, src->data, static_cast<size_t>(n) * dtype_size(dst->dtype),
                                       cudaMemcpyDeviceToDevice, as_stream(stream)));
        return PST_SUCCESS;
    }
    return visit_all(dst->dtype, [&](auto to) {
        using To = typename decltype(to)::type;
        return visit_all(src->dtype, [&](auto from) {
            using From = typename decltype(from)::type;
            return for_each_element(operands, CopyElement<To, From>{static_cast<To*>(dst->data), static_cast<const From*>(src->data)},
                                    as_stream(stream));
        });
    });
}

pst_status pst_fill(const pst_tensor* dst, double value, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill"));
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, FillElement<T>{static_cast<T*>(dst->data), host_value<T>(value)}, as_stream(stream));
    });
}

}  // extern "C"
