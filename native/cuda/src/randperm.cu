// randperm: the CPU's Fisher-Yates shuffle (CpuBackend.FillRandperm) reproduced exactly on the device. Iteration i
// (i = n-1 down to 1) swaps positions i and target[i] = draw_i % (i + 1). Following Shun et al., "Sequential random
// permutation, list contraction and tree contraction are highly parallel" (SODA 2015), every pending iteration
// reserves its two positions with an atomic max of its number (earlier iterations have larger numbers and win), and
// the iterations that hold both reservations swap: no pending earlier iteration touches their positions, and the
// positions of the iterations swapping in one round are disjoint, so the result is the sequential one. The largest
// pending iteration always swaps, and the rounds needed grow as O(log n) with high probability (about 2.3 log2 n).
#include "philox.cuh"
#include "scratch.cuh"

namespace pst {
namespace {

// A reservation: the round in the high bits, the iteration in the low 40, so a later round's reservations are larger
// than any left from earlier rounds and the array needs no clearing between rounds.
constexpr int kIterationBits = 40;
constexpr uint64_t kMaxRound = (1ULL << (64 - kIterationBits)) - 1;

__device__ __forceinline__ uint64_t reservation(uint64_t round, int64_t i) { return round << kIterationBits | static_cast<uint64_t>(i); }

// dst = 0..n-1; target[i] from 64-bit draw i (block offset + i/2, words 0-1 or 2-3), as pst_fill_randint reads it;
// iteration 0 swaps nothing and starts done (-1).
__global__ void randperm_start_kernel(int64_t* dst, int64_t* target, int64_t n, uint64_t seed, uint64_t offset) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        dst[i] = i;
        if (i == 0) {
            target[i] = -1;
            continue;
        }
        const Words w = philox(offset + static_cast<uint64_t>(i) / 2, seed);
        const int pair = static_cast<int>(i % 2) * 2;
        const uint64_t draw = static_cast<uint64_t>(w.w[pair + 1]) << 32 | w.w[pair];
        target[i] = static_cast<int64_t>(draw % static_cast<uint64_t>(i + 1));
    }
}

// True for every thread of the block once all iterations have swapped: the round's kernels then return at once.
__device__ __forceinline__ bool all_done(const unsigned long long* swapped, int64_t iterations) {
    __shared__ bool done;
    if (threadIdx.x == 0) done = *swapped == static_cast<unsigned long long>(iterations);
    __syncthreads();
    return done;
}

__global__ void randperm_reserve_kernel(const int64_t* target, unsigned long long* reserved, int64_t n, uint64_t round,
                                        const unsigned long long* swapped) {
    if (all_done(swapped, n - 1)) return;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t j = target[i];
        if (j < 0) continue;
        const unsigned long long mine = reservation(round, i);
        atomicMax(reserved + i, mine);
        if (j != i) atomicMax(reserved + j, mine);
    }
}

__global__ void randperm_swap_kernel(int64_t* dst, int64_t* target, const unsigned long long* reserved, int64_t n, uint64_t round,
                                     unsigned long long* swapped) {
    __shared__ int64_t partial[kThreads / kWarp];
    if (all_done(swapped, n - 1)) return;
    int64_t mine = 0;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t j = target[i];
        if (j < 0) continue;
        const unsigned long long r = reservation(round, i);
        if (reserved[i] != r || reserved[j] != r) continue;
        const int64_t a = dst[i];
        dst[i] = dst[j];
        dst[j] = a;
        target[i] = -1;
        ++mine;
    }
    const int64_t total = block_reduce(mine, [](int64_t a, int64_t b) { return a + b; }, int64_t(0), partial);
    if (threadIdx.x == 0 && total != 0) atomicAdd(swapped, static_cast<unsigned long long>(total));
}

int bit_length(int64_t n) {
    int bits = 0;
    for (; n > 0; n >>= 1) ++bits;
    return bits;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_fill_randperm(int64_t* dst, int64_t n, uint64_t seed, uint64_t offset, void* stream) {
    PST_REQUIRE(n >= 0 && n < (1LL << kIterationBits), "pst_fill_randperm: n = %lld is outside 0..2^%d-1", static_cast<long long>(n),
                kIterationBits);
    if (n == 0) return PST_SUCCESS;
    PST_REQUIRE(dst != nullptr, "pst_fill_randperm: dst is NULL");
    const cudaStream_t s = as_stream(stream);
    const unsigned int blocks = blocks_for(n);

    // target[n], reserved[n] and the swap counter in one allocation
    Scratch scratch(s);
    PST_CUDA_CHECK(scratch.allocate((2 * static_cast<size_t>(n) + 1) * sizeof(int64_t)));
    int64_t* target = scratch.as<int64_t>();
    unsigned long long* reserved = reinterpret_cast<unsigned long long*>(target + n);
    unsigned long long* swapped = reserved + n;
    PST_CUDA_CHECK(cudaMemsetAsync(reserved, 0, (static_cast<size_t>(n) + 1) * sizeof(unsigned long long), s));
    randperm_start_kernel<<<blocks, kThreads, 0, s>>>(dst, target, n, seed, offset);
    PST_LAUNCH_CHECK();

    // Rounds go out in batches, the first sized to finish most shuffles, then the host checks the counter.
    uint64_t round = 0;
    int batch = 3 * bit_length(n);
    for (;;) {
        for (int k = 0; k < batch; ++k) {
            if (++round > kMaxRound) {
                PST_CUDA_CHECK(cudaMemsetAsync(reserved, 0, static_cast<size_t>(n) * sizeof(unsigned long long), s));
                round = 1;
            }
            randperm_reserve_kernel<<<blocks, kThreads, 0, s>>>(target, reserved, n, round, swapped);
            randperm_swap_kernel<<<blocks, kThreads, 0, s>>>(dst, target, reserved, n, round, swapped);
            PST_LAUNCH_CHECK();
        }
        unsigned long long done = 0;
        PST_CUDA_CHECK(cudaMemcpyAsync(&done, swapped, sizeof(done), cudaMemcpyDeviceToHost, s));
        PST_CUDA_CHECK(cudaStreamSynchronize(s));
        if (done == static_cast<unsigned long long>(n - 1)) return PST_SUCCESS;
        batch = 8;
    }
}

}  // extern "C"
