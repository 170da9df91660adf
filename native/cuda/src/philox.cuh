// Philox4x32-10 and its conversions to unit floats, exactly as PSTorch's CPU backend (src/PSTorch.Core/Random/Philox.cs):
// shared by the random fills and dropout so both draw the numbers of the CPU's RandomLayout.
#pragma once

#include "common.cuh"

namespace pst {

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

}  // namespace pst
