// Sorting and selection, as PSTorch's CPU backend (src/PSTorch.Core/Backends/Cpu/CpuBackend.Sorting.cs): every row
// is sorted under one strict total order -- NaN above every number (first when descending), -0.0 equal to 0.0, ties
// by original index in both directions -- so the result is unique and equals the CPU's stable sort bit for bit.
//
// The sort is a bitonic network in the variant whose comparators all point the same way (the first step of each
// merge compares i with its mirror in the block, the later ones i with i + step). A row of n elements then needs no
// padding: positions >= n act as +infinity that never moves, so a comparator reaching past n is skipped. Rows that
// fit in shared memory are sorted one block per row; longer rows run one launch per network step in global memory.
#include "loops.cuh"
#include "nn.cuh"

namespace pst {
namespace {

constexpr int kSortThreads = 1024;
constexpr int64_t kSharedSortBytes = 48 * 1024;

template <typename K> __device__ __forceinline__ bool key_is_nan(K k) {
    if constexpr (std::is_floating_point<K>::value) return isnan(k);
    else return false;
}

// True when (a, ia) comes before (b, ib) in the sorted row.
template <typename K> __device__ __forceinline__ bool precedes(K a, int64_t ia, K b, int64_t ib, bool descending) {
    const bool a_nan = key_is_nan(a), b_nan = key_is_nan(b);
    int c;
    if (a_nan || b_nan) c = a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
    else c = a < b ? -1 : (a > b ? 1 : 0);
    if (descending) c = -c;
    return c != 0 ? c < 0 : ia < ib;
}

// The comparator t (of span / 2 per network of span elements) in the merge stage of block size k at distance step.
__device__ __forceinline__ void comparator(int64_t t, int64_t k, int64_t step, int64_t& i, int64_t& j) {
    if (step == k / 2) {
        const int64_t base = (t / step) * k, offset = t % step;
        i = base + offset;
        j = base + k - 1 - offset;
    } else {
        i = (t / step) * 2 * step + t % step;
        j = i + step;
    }
}

int64_t next_power_of_two(int64_t n) {
    int64_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

int64_t round_up(int64_t bytes, int64_t to) { return (bytes + to - 1) / to * to; }

// One block per row: keys (in the compute type) and local positions in shared memory; values are copied from src
// through the final positions, so they keep their exact bits.
template <typename T>
__global__ void sort_rows_shared_kernel(T* values, int64_t* indices, const T* src, int64_t n, int64_t span, int64_t positions_offset, bool descending) {
    using K = compute_t<T>;
    extern __shared__ __align__(16) unsigned char shared[];
    K* keys = reinterpret_cast<K*>(shared);
    int* positions = reinterpret_cast<int*>(shared + positions_offset);
    const T* row = src + static_cast<int64_t>(blockIdx.x) * n;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
        keys[i] = convert<K>(row[i]);
        positions[i] = static_cast<int>(i);
    }
    __syncthreads();
    for (int64_t k = 2; k <= span; k <<= 1) {
        for (int64_t step = k / 2; step > 0; step >>= 1) {
            for (int64_t t = threadIdx.x; t < span / 2; t += blockDim.x) {
                int64_t i, j;
                comparator(t, k, step, i, j);
                if (j < n && precedes(keys[j], positions[j], keys[i], positions[i], descending)) {
                    const K key = keys[i];
                    keys[i] = keys[j];
                    keys[j] = key;
                    const int position = positions[i];
                    positions[i] = positions[j];
                    positions[j] = position;
                }
            }
            __syncthreads();
        }
    }
    T* out = values + static_cast<int64_t>(blockIdx.x) * n;
    int64_t* out_indices = indices + static_cast<int64_t>(blockIdx.x) * n;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
        out[i] = row[positions[i]];
        out_indices[i] = positions[i];
    }
}

template <typename T>
__global__ void sort_rows_start_kernel(T* values, int64_t* indices, const T* src, int64_t total, int64_t n) {
    for (int64_t w = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; w < total; w += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        values[w] = src[w];
        indices[w] = w % n;
    }
}

// One network step over every row in place: rows * span / 2 comparators.
template <typename T>
__global__ void sort_rows_step_kernel(T* values, int64_t* indices, int64_t rows, int64_t n, int64_t span, int64_t k, int64_t step, bool descending) {
    using K = compute_t<T>;
    const int64_t per_row = span / 2, total = rows * per_row;
    for (int64_t w = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; w < total; w += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        int64_t i, j;
        comparator(w % per_row, k, step, i, j);
        if (j >= n) continue;
        const int64_t base = (w / per_row) * n;
        T* v = values + base;
        int64_t* ix = indices + base;
        if (precedes(convert<K>(v[j]), ix[j], convert<K>(v[i]), ix[i], descending)) {
            const T value = v[i];
            v[i] = v[j];
            v[j] = value;
            const int64_t index = ix[i];
            ix[i] = ix[j];
            ix[j] = index;
        }
    }
}

template <typename T, typename Out>
__global__ void searchsorted_kernel(Out* dst, const T* boundaries, const T* values, int64_t total, int64_t count, int64_t per_row, bool shared_boundaries, bool right) {
    using K = compute_t<T>;
    for (int64_t w = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; w < total; w += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const T* row = shared_boundaries ? boundaries : boundaries + (w / per_row) * count;
        const K value = convert<K>(values[w]);
        int64_t start = 0, end = count;
        // PyTorch's cus_lower_bound / cus_upper_bound: the negated comparisons move past NaN
        while (start < end) {
            const int64_t mid = start + ((end - start) >> 1);
            const K boundary = convert<K>(row[mid]);
            const bool before = right ? !(boundary > value) : !(boundary >= value);
            if (before) start = mid + 1;
            else end = mid;
        }
        dst[w] = static_cast<Out>(start);
    }
}

// One thread per sorted row: the longest run of equal values (the first of equally long ones) and its last position.
template <typename T>
__global__ void mode_of_sorted_kernel(T* values, int64_t* indices, const T* sorted_values, const int64_t* sorted_indices, int64_t rows, int64_t n) {
    using K = compute_t<T>;
    for (int64_t r = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; r < rows; r += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const T* row = sorted_values + r * n;
        int64_t best = 0, best_run = 0, run = 0;
        for (int64_t j = 0; j < n; j++) {
            run++;
            if (j == n - 1 || convert<K>(row[j]) != convert<K>(row[j + 1])) {
                if (run > best_run) {
                    best = j;
                    best_run = run;
                }
                run = 0;
            }
        }
        values[r] = row[best];
        indices[r] = sorted_indices[r * n + best];
    }
}

template <typename T>
pst_status sort_rows(T* values, int64_t* indices, const T* src, int64_t rows, int64_t n, bool descending, cudaStream_t stream) {
    using K = compute_t<T>;
    const int64_t span = next_power_of_two(n);
    const int64_t positions_offset = round_up(n * static_cast<int64_t>(sizeof(K)), 8);
    const int64_t shared_bytes = positions_offset + n * static_cast<int64_t>(sizeof(int));
    if (shared_bytes <= kSharedSortBytes && rows <= 0x7fffffffLL) {
        const int threads = static_cast<int>(span / 2 < kSortThreads ? (span / 2 < kWarp ? kWarp : span / 2) : kSortThreads);
        sort_rows_shared_kernel<T><<<static_cast<unsigned int>(rows), threads, static_cast<size_t>(shared_bytes), stream>>>(
            values, indices, src, n, span, positions_offset, descending);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    }
    const int64_t total = rows * n;
    sort_rows_start_kernel<T><<<blocks_for(total), kThreads, 0, stream>>>(values, indices, src, total, n);
    PST_LAUNCH_CHECK();
    const unsigned int blocks = blocks_for(rows * (span / 2));
    for (int64_t k = 2; k <= span; k <<= 1) {
        for (int64_t step = k / 2; step > 0; step >>= 1) {
            sort_rows_step_kernel<T><<<blocks, kThreads, 0, stream>>>(values, indices, rows, n, span, k, step, descending);
            PST_LAUNCH_CHECK();
        }
    }
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_sort(pst_dtype dtype, void* values, int64_t* indices, const void* src, int64_t rows, int64_t n, int32_t descending, void* stream) {
    PST_REQUIRE(rows >= 0 && n >= 0, "pst_sort: negative size (rows %lld, n %lld)", static_cast<long long>(rows), static_cast<long long>(n));
    if (rows == 0 || n == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(values && indices && src, "pst_sort"));
    return visit_all(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return sort_rows<T>(static_cast<T*>(values), indices, static_cast<const T*>(src), rows, n, descending != 0, as_stream(stream));
    });
}

pst_status pst_searchsorted(pst_dtype dtype, void* dst, int32_t out_int32, const void* boundaries, const void* values, int64_t rows, int64_t boundary_count,
                            int64_t values_per_row, int32_t shared_boundaries, int32_t right, void* stream) {
    PST_REQUIRE(rows >= 0 && boundary_count >= 0 && values_per_row >= 0, "pst_searchsorted: negative size");
    const int64_t total = rows * values_per_row;
    if (total == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(dst && values && (boundaries || boundary_count == 0), "pst_searchsorted"));
    return visit_all(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T* b = static_cast<const T*>(boundaries);
        const T* v = static_cast<const T*>(values);
        if (out_int32)
            searchsorted_kernel<T, int32_t><<<blocks_for(total), kThreads, 0, as_stream(stream)>>>(
                static_cast<int32_t*>(dst), b, v, total, boundary_count, values_per_row, shared_boundaries != 0, right != 0);
        else
            searchsorted_kernel<T, int64_t><<<blocks_for(total), kThreads, 0, as_stream(stream)>>>(
                static_cast<int64_t*>(dst), b, v, total, boundary_count, values_per_row, shared_boundaries != 0, right != 0);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

pst_status pst_mode_of_sorted(pst_dtype dtype, void* values, int64_t* indices, const void* sorted_values, const int64_t* sorted_indices, int64_t rows, int64_t n, void* stream) {
    PST_REQUIRE(rows >= 0 && n >= 1, "pst_mode_of_sorted: needs rows >= 0 and n >= 1 (rows %lld, n %lld)", static_cast<long long>(rows), static_cast<long long>(n));
    if (rows == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(values && indices && sorted_values && sorted_indices, "pst_mode_of_sorted"));
    return visit_all(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        mode_of_sorted_kernel<T><<<blocks_for(rows), kThreads, 0, as_stream(stream)>>>(
            static_cast<T*>(values), indices, static_cast<const T*>(sorted_values), sorted_indices, rows, n);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

}  // extern "C"
