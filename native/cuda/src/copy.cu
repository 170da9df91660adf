// Copy with dtype conversion between any two strided tensors of one shape, fill, and the rule-based fills
// (arange, linspace) of tensor creation.
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

// The __dadd_rn/__dmul_rn intrinsics keep nvcc from contracting start + i * step into an fma: the CPU rounds twice.
template <typename T> struct ArangeElement {
    T* dst;
    double start, step;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        dst[o[0]] = convert<T>(__dadd_rn(start, __dmul_rn(static_cast<double>(i), step)));
    }
};

struct ArangeInt64Element {
    int64_t* dst;
    int64_t start, step;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const { dst[o[0]] = start + i * step; }
};

template <typename T> struct LinspaceElement {
    T* dst;
    double start, end, step;
    int64_t steps, half;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        double value = i < half ? __dadd_rn(start, __dmul_rn(static_cast<double>(i), step))
                                : __dsub_rn(end, __dmul_rn(static_cast<double>(steps - 1 - i), step));
        dst[o[0]] = convert<T>(value);
    }
};

// Whether v is a whole number that int64 holds (without libm's floor: the library links no libm).
bool is_whole_int64(double v) { return v >= -9.2e18 && v <= 9.2e18 && static_cast<double>(static_cast<int64_t>(v)) == v; }

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

pst_status pst_fill_arange(const pst_tensor* dst, double start, double step, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill_arange"));
    if (dst->dtype == PST_INT64 && is_whole_int64(start) && is_whole_int64(step))
        return for_each_element(operands, ArangeInt64Element{static_cast<int64_t*>(dst->data), static_cast<int64_t>(start), static_cast<int64_t>(step)},
                                as_stream(stream));
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, ArangeElement<T>{static_cast<T*>(dst->data), start, step}, as_stream(stream));
    });
}

pst_status pst_fill_linspace(const pst_tensor* dst, double start, double end, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill_linspace"));
    int64_t steps = numel(*dst);
    double step = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0.0;
    int64_t half = steps == 1 ? 1 : steps / 2;  // a single point is start
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, LinspaceElement<T>{static_cast<T*>(dst->data), start, end, step, steps, half}, as_stream(stream));
    });
}

}  // extern "C"
