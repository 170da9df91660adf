// Random fills from Philox4x32-10, element for element the numbers of PSTorch's CPU backend
// (src/PSTorch.Core/Random/Philox.cs, RandomLayout and CpuBackend.Random.cs): element i of a fill (row-major
// over dst's shape, whatever its strides) reads the same block and words, and converts them the same way.
#include "loops.cuh"
#include "philox.cuh"

namespace pst {
namespace {

// What each fill computes for element i; the loop writes it at dst's strided offset. The _rn intrinsics keep nvcc
// from contracting from + u * range into a fused multiply-add: the CPU rounds the product and the sum separately.
template <typename T> struct UniformElement {
    T* dst;
    double from, to;
    uint64_t seed, offset;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        if constexpr (std::is_same<T, double>::value) {
            Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
            int pair = static_cast<int>(i % 2) * 2;
            dst[o[0]] = __dadd_rn(from, __dmul_rn(unit_double(w.w[pair], w.w[pair + 1]), to - from));
        } else {
            Words w = philox(offset + static_cast<uint64_t>(i) / 4, seed);
            float lo = static_cast<float>(from), range = static_cast<float>(to) - lo;
            dst[o[0]] = convert<T>(__fadd_rn(lo, __fmul_rn(unit_float(w.w[i % 4]), range)));
        }
    }
};

// Box-Muller in double for every dtype, as the CPU computes it; u1 in (0, 1] keeps the log finite.
template <typename T> struct NormalElement {
    T* dst;
    double mean, std;
    uint64_t seed, offset;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
        double u1, u2;
        if constexpr (std::is_same<T, double>::value) {
            u1 = 1.0 - unit_double(w.w[0], w.w[1]);
            u2 = unit_double(w.w[2], w.w[3]);
        } else {
            u1 = 1.0 - static_cast<double>(unit_float(w.w[0]));
            u2 = static_cast<double>(unit_float(w.w[1]));
        }
        double radius = sqrt(-2.0 * log(u1)) * std;
        double angle = 2.0 * 3.14159265358979323846 * u2;
        double value = __dadd_rn(mean, __dmul_rn(radius, i % 2 == 0 ? cos(angle) : sin(angle)));
        if constexpr (std::is_same<T, double>::value) dst[o[0]] = value;
        else dst[o[0]] = convert<T>(static_cast<float>(value));
    }
};

struct RandintElement {
    int64_t* dst;
    int64_t low;
    uint64_t range;
    uint64_t seed, offset;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
        int pair = static_cast<int>(i % 2) * 2;
        uint64_t draw = static_cast<uint64_t>(w.w[pair + 1]) << 32 | w.w[pair];
        dst[o[0]] = low + static_cast<int64_t>(draw % range);
    }
};

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_fill_uniform(const pst_tensor* dst, double from, double to, uint64_t seed, uint64_t offset, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill_uniform"));
    return visit_floating(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, UniformElement<T>{static_cast<T*>(dst->data), from, to, seed, offset}, as_stream(stream));
    });
}

pst_status pst_fill_normal(const pst_tensor* dst, double mean, double std, uint64_t seed, uint64_t offset, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill_normal"));
    return visit_floating(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, NormalElement<T>{static_cast<T*>(dst->data), mean, std, seed, offset}, as_stream(stream));
    });
}

pst_status pst_fill_randint(const pst_tensor* dst, int64_t low, int64_t high, uint64_t seed, uint64_t offset, void* stream) {
    const pst_tensor* operands[1] = {dst};
    PST_CHECK(check_same_shapes(operands, "pst_fill_randint"));
    PST_REQUIRE(dst->dtype == PST_INT64, "pst_fill_randint: dst is %s, not int64", dtype_name(dst->dtype));
    PST_REQUIRE(high > low, "random_ expects 'from' to be less than 'to', but got from=%lld >= to=%lld", static_cast<long long>(low),
                static_cast<long long>(high));
    const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    return for_each_element(operands, RandintElement{static_cast<int64_t*>(dst->data), low, range, seed, offset}, as_stream(stream));
}

}  // extern "C"
