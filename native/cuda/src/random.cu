// Random fills from Philox4x32-10, element for element the numbers of PSTorch's CPU backend
// (src/PSTorch.Core/Random/Philox.cs, RandomLayout and CpuBackend.Random.cs): element i of a fill (row-major
// over dst's shape, whatever its strides) reads the same block and words, and converts them the same way.
#include "loops.cuh"

namespace pst {
namespace {

struct Words {
    uint32_t w[4];
};

// The four words of block counter (c0, c1, 0, 0) under key (k0, k1), ten rounds.
__device__ __forceinline__ Words philox(uint64_t counter, uint64_t seed) {
    uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        uint32_t hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return Words{{c0, c1, c2, c3}};
}

__device__ __forceinline__ float unit_float(uint32_t x) { return (x & ((1u << 24) - 1)) * (1.0f / (1 << 24)); }
__device__ __forceinline__ double unit_double(uint32_t lo, uint32_t hi) {
    return ((static_cast<uint64_t>(hi) << 32 | lo) & ((1ULL << 53) - 1)) * (1.0 / (1ULL << 53));
}

// What each fill computes for element i; the loop writes it at dst's strided offset.
template <typename T> struct UniformElement {
    T* dst;
    double from, to;
    uint64_t seed, offset;
    __device__ __forceinline__ void operator()(int64_t i, const int64_t (&o)[1]) const {
        if constexpr (std::is_same<T, double>::value) {
            Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
            int pair = static_cast<int>(i % 2) * 2;
            dst[o[0]] = from + unit_double(w.w[pair], w.w[pair + 1]) * (to - from);
        } else {
            Words w = philox(offset + static_cast<uint64_t>(i) / 4, seed);
            float lo = static_cast<float>(from), range = static_cast<float>(to) - lo;
            dst[o[0]] = convert<T>(lo + unit_float(w.w[i % 4]) * range);
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
        double value = mean + radius * (i % 2 == 0 ? cos(angle) : sin(angle));
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
