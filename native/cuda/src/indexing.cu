// Gather and scatter along one dimension, index wrapping and nonzero, as PSTorch's CPU backend
// (src/PSTorch.Core/Backends/Cpu/CpuBackend.Indexing.cs). Gather and scatter walk three operands over one shape
// with the strided loop: the tensor indexed along dim seen as a "line view" (its strides with 0 at dim, so each
// position points at the start of its line), the other data tensor, and the index. Nonzero counts the mask per
// tile, scans the tile counts and writes each tile's coordinates at its offset, so rows come out in row-major order.
#include <type_traits>

#include <cub/block/block_scan.cuh>
#include <cub/device/device_scan.cuh>

#include "loops.cuh"
#include "scratch.cuh"

namespace pst {
namespace {

// The element type a copy moves: gather and plain scatter copy bits, whatever the dtype.
template <int Size> struct bits_type;
template <> struct bits_type<1> { using type = uint8_t; };
template <> struct bits_type<2> { using type = uint16_t; };
template <> struct bits_type<4> { using type = uint32_t; };
template <> struct bits_type<8> { using type = uint64_t; };

template <typename F> pst_status visit_bits(pst_dtype dtype, F&& f) {
    switch (dtype_size(dtype)) {
        case 1: return f(type_tag<uint8_t>{});
        case 2: return f(type_tag<uint16_t>{});
        case 4: return f(type_tag<uint32_t>{});
        case 8: return f(type_tag<uint64_t>{});
        default: PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "unknown dtype code %d", static_cast<int>(dtype));
    }
}

// ---- atomic addition for every dtype scatter_add takes ----

__device__ __forceinline__ void atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(int32_t* p, int32_t v) { atomicAdd(reinterpret_cast<int*>(p), static_cast<int>(v)); }
// Two's complement: an unsigned add wraps as the CPU's int64 addition does.
__device__ __forceinline__ void atomic_add(int64_t* p, int64_t v) {
    atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));
}

// The sum the CPU's INumber addition gives: integers wrap, half types round the float sum once.
template <typename T> __device__ __forceinline__ T add_narrow(T a, T b) {
    if constexpr (std::is_integral<T>::value) return static_cast<T>(a + b);
    else return convert<T>(to_float(a) + to_float(b));
}

// 8- and 16-bit types: compare-and-swap on the aligned 32-bit word holding the element (storage is 4-byte aligned).
template <typename T> __device__ __forceinline__ void atomic_add(T* p, T v) {
    static_assert(sizeof(T) <= 2, "wider types have a native atomic add above");
    using Bits = typename bits_type<sizeof(T)>::type;
    const uintptr_t address = reinterpret_cast<uintptr_t>(p);
    unsigned int* word = reinterpret_cast<unsigned int*>(address & ~static_cast<uintptr_t>(3));
    const unsigned int shift = static_cast<unsigned int>(address & 3) * 8;
    const unsigned int mask = static_cast<unsigned int>(static_cast<Bits>(~Bits(0))) << shift;
    unsigned int old = *word, assumed;
    do {
        assumed = old;
        const Bits current_bits = static_cast<Bits>((assumed & mask) >> shift);
        T current;
        memcpy(&current, &current_bits, sizeof(T));
        const T sum = add_narrow(current, v);
        Bits sum_bits;
        memcpy(&sum_bits, &sum, sizeof(T));
        old = atomicCAS(word, assumed, (assumed & ~mask) | (static_cast<unsigned int>(sum_bits) << shift));
    } while (old != assumed);
}

// visit_all without bool, which has no addition (f is never instantiated for it).
template <typename F> pst_status visit_addable(pst_dtype dtype, F&& f) {
    if (dtype == PST_BOOL) PST_FAIL(PST_ERROR_NOT_SUPPORTED, "scatter_add is not implemented for dtype bool");
    return visit_all(dtype, [&](auto tag) -> pst_status {
        if constexpr (std::is_same_v<typename decltype(tag)::type, bool>) return PST_ERROR_NOT_SUPPORTED;
        else return f(tag);
    });
}

// ---- gather / scatter ----

// Operands: dst, src's line view, index.
template <typename T> struct GatherElement {
    T* dst;
    const T* src;
    const int64_t* index;
    int64_t dim_stride, dim_size;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[3]) const {
        const int64_t v = index[o[2]];
        if (v >= 0 && v < dim_size) dst[o[0]] = src[o[1] + v * dim_stride];
    }
};

// Operands: dst's line view, src, index.
template <typename T, bool Accumulate> struct ScatterElement {
    T* dst;
    const T* src;
    const int64_t* index;
    int64_t dim_stride, dim_size;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[3]) const {
        const int64_t v = index[o[2]];
        if (v < 0 || v >= dim_size) return;
        if constexpr (Accumulate) atomic_add(dst + o[0] + v * dim_stride, src[o[1]]);
        else dst[o[0] + v * dim_stride] = src[o[1]];
    }
};

// t with `shape`'s sizes and a zero stride at dim.
pst_tensor line_view(const pst_tensor& t, const pst_tensor& shape, int dim) {
    pst_tensor line = t;
    for (int d = 0; d < t.ndim; ++d) line.sizes[d] = shape.sizes[d];
    line.strides[dim] = 0;
    return line;
}

// The checks both directions share: `indexed` is the tensor addressed along dim, `walked` the one of index's shape.
pst_status check_gather_scatter(const pst_tensor* indexed, const pst_tensor* walked, const pst_tensor* index, int dim, const char* what) {
    PST_CHECK(check_tensor(indexed, what));
    PST_CHECK(check_tensor(walked, what));
    PST_CHECK(check_tensor(index, what));
    PST_REQUIRE(index->dtype == PST_INT64, "%s: index is %s, not int64", what, dtype_name(index->dtype));
    PST_REQUIRE(indexed->dtype == walked->dtype, "%s: the data tensors are %s and %s", what, dtype_name(indexed->dtype),
                dtype_name(walked->dtype));
    PST_REQUIRE(same_shape(*index, *walked), "%s: index and the tensor walked with it differ in shape", what);
    PST_REQUIRE(indexed->ndim == index->ndim, "%s: index has %d dimensions, the indexed tensor %d", what, index->ndim, indexed->ndim);
    PST_REQUIRE(dim >= 0 && dim < index->ndim, "%s: dim %d is outside 0..%d", what, dim, index->ndim - 1);
    for (int d = 0; d < index->ndim; ++d)
        PST_REQUIRE(d == dim || index->sizes[d] <= indexed->sizes[d], "%s: index size %lld exceeds %lld in dimension %d", what,
                    static_cast<long long>(index->sizes[d]), static_cast<long long>(indexed->sizes[d]), d);
    return PST_SUCCESS;
}

// ---- index wrapping ----

__global__ void wrap_index_kernel(int64_t* index, int64_t n, int64_t size, unsigned long long* first_invalid) {
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t v = index[i];
        if (v < -size || v >= size) atomicMin(first_invalid, static_cast<unsigned long long>(i));
        else if (v < 0) index[i] = v + size;
    }
}

// ---- nonzero ----

constexpr int kItemsPerThread = 16;
constexpr int64_t kTile = static_cast<int64_t>(kThreads) * kItemsPerThread;
static_assert(kItemsPerThread == sizeof(uint4), "a thread reads its flags from shared memory as one uint4");

__global__ void count_nonzero_kernel(const uint8_t* mask, int64_t n, unsigned long long* count) {
    __shared__ int64_t partial[kThreads / kWarp];
    int64_t mine = 0;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<int64_t>(gridDim.x) * blockDim.x)
        mine += mask[i] != 0;
    const int64_t total = block_reduce(mine, [](int64_t a, int64_t b) { return a + b; }, int64_t(0), partial);
    if (threadIdx.x == 0 && total != 0) atomicAdd(count, static_cast<unsigned long long>(total));
}

// Block t counts tile t (kTile elements from t * kTile).
__global__ void count_tiles_kernel(const uint8_t* mask, int64_t n, int64_t* tile_counts) {
    __shared__ int64_t partial[kThreads / kWarp];
    const int64_t start = blockIdx.x * kTile, end = min(n, start + kTile);
    int64_t mine = 0;
    for (int64_t i = start + threadIdx.x; i < end; i += blockDim.x) mine += mask[i] != 0;
    const int64_t total = block_reduce(mine, [](int64_t a, int64_t b) { return a + b; }, int64_t(0), partial);
    if (threadIdx.x == 0) tile_counts[blockIdx.x] = total;
}

struct MaskShape {
    int ndim;
    int64_t sizes[PST_MAX_DIMS];
};

// Block t writes the coordinates of tile t's nonzero elements from row tile_offsets[t]: the tile is staged in shared
// memory (coalesced reads), thread k takes its kItemsPerThread consecutive elements, and a block scan of the
// threads' counts orders the rows.
__global__ void nonzero_tiles_kernel(const uint8_t* mask, int64_t n, const int64_t* tile_offsets, MaskShape shape, int64_t* coordinates,
                                     int64_t count) {
    using BlockScan = cub::BlockScan<int, kThreads>;
    __shared__ __align__(16) uint8_t flags[kTile];
    __shared__ typename BlockScan::TempStorage scan;
    const int64_t start = blockIdx.x * kTile;
    for (int k = threadIdx.x; k < kTile; k += blockDim.x) flags[k] = start + k < n && mask[start + k] != 0;
    __syncthreads();
    const uint4 packed = reinterpret_cast<const uint4*>(flags)[threadIdx.x];
    const uint8_t* mine = reinterpret_cast<const uint8_t*>(&packed);
    int found = 0;
#pragma unroll
    for (int k = 0; k < kItemsPerThread; ++k) found += mine[k];
    int before;
    BlockScan(scan).ExclusiveSum(found, before);
    int64_t row = tile_offsets[blockIdx.x] + before;
    const int64_t first = start + static_cast<int64_t>(threadIdx.x) * kItemsPerThread;
    for (int k = 0; k < kItemsPerThread; ++k) {
        if (!mine[k]) continue;
        if (row >= count) return;
        int64_t rest = first + k;
        int64_t* out = coordinates + row * shape.ndim;
        for (int d = shape.ndim - 1; d >= 0; --d) {
            const int64_t q = rest / shape.sizes[d];
            out[d] = rest - q * shape.sizes[d];
            rest = q;
        }
        ++row;
    }
}

pst_status check_mask(const pst_tensor* mask, const char* what) {
    PST_CHECK(check_tensor(mask, what));
    PST_REQUIRE(mask->dtype == PST_BOOL || mask->dtype == PST_UINT8, "%s: the mask is %s, not bool or uint8", what, dtype_name(mask->dtype));
    PST_REQUIRE(is_contiguous(*mask), "%s: the mask is not contiguous", what);
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_gather(const pst_tensor* dst, const pst_tensor* src, const pst_tensor* index, int32_t dim, void* stream) {
    PST_CHECK(check_gather_scatter(src, dst, index, dim, "pst_gather"));
    const pst_tensor line = line_view(*src, *dst, dim);
    const pst_tensor* operands[3] = {dst, &line, index};
    return visit_bits(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands,
            GatherElement<T>{static_cast<T*>(dst->data), static_cast<const T*>(src->data), static_cast<const int64_t*>(index->data),
                             src->strides[dim], src->sizes[dim]},
            as_stream(stream));
    });
}

pst_status pst_scatter(const pst_tensor* dst, const pst_tensor* index, const pst_tensor* src, int32_t dim, int32_t accumulate, void* stream) {
    PST_CHECK(check_gather_scatter(dst, src, index, dim, "pst_scatter"));
    const pst_tensor line = line_view(*dst, *index, dim);
    const pst_tensor* operands[3] = {&line, src, index};
    const int64_t* ix = static_cast<const int64_t*>(index->data);
    if (!accumulate)
        return visit_bits(dst->dtype, [&](auto tag) {
            using T = typename decltype(tag)::type;
            return for_each_element(operands,
                ScatterElement<T, false>{static_cast<T*>(dst->data), static_cast<const T*>(src->data), ix, dst->strides[dim], dst->sizes[dim]},
                as_stream(stream));
        });
    return visit_addable(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands,
            ScatterElement<T, true>{static_cast<T*>(dst->data), static_cast<const T*>(src->data), ix, dst->strides[dim], dst->sizes[dim]},
            as_stream(stream));
    });
}

pst_status pst_wrap_index(int64_t* index, int64_t n, int64_t size, int64_t* first_invalid, void* stream) {
    PST_REQUIRE(first_invalid != nullptr, "pst_wrap_index: first_invalid is NULL");
    PST_REQUIRE(n >= 0 && size >= 0, "pst_wrap_index: negative count %lld or size %lld", static_cast<long long>(n), static_cast<long long>(size));
    PST_REQUIRE(index != nullptr || n == 0, "pst_wrap_index: index is NULL");
    const cudaStream_t s = as_stream(stream);
    PST_CUDA_CHECK(cudaMemsetAsync(first_invalid, 0xff, sizeof(int64_t), s));
    if (n == 0) return PST_SUCCESS;
    wrap_index_kernel<<<blocks_for(n), kThreads, 0, s>>>(index, n, size, reinterpret_cast<unsigned long long*>(first_invalid));
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

pst_status pst_nonzero_count(const pst_tensor* mask, int64_t* count, void* stream) {
    PST_CHECK(check_mask(mask, "pst_nonzero_count"));
    PST_REQUIRE(count != nullptr, "pst_nonzero_count: count is NULL");
    const cudaStream_t s = as_stream(stream);
    PST_CUDA_CHECK(cudaMemsetAsync(count, 0, sizeof(int64_t), s));
    const int64_t n = numel(*mask);
    if (n == 0) return PST_SUCCESS;
    count_nonzero_kernel<<<blocks_for(n, kThreads, 4), kThreads, 0, s>>>(static_cast<const uint8_t*>(mask->data), n,
                                                                          reinterpret_cast<unsigned long long*>(count));
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

pst_status pst_nonzero(const pst_tensor* mask, int64_t* coordinates, int64_t count, void* stream) {
    PST_CHECK(check_mask(mask, "pst_nonzero"));
    const int64_t n = numel(*mask);
    PST_REQUIRE(count >= 0 && count <= n, "pst_nonzero: count %lld is outside 0..%lld", static_cast<long long>(count), static_cast<long long>(n));
    if (count == 0 || mask->ndim == 0) return PST_SUCCESS;
    PST_REQUIRE(coordinates != nullptr, "pst_nonzero: coordinates is NULL");
    const cudaStream_t s = as_stream(stream);
    const int64_t tiles = (n + kTile - 1) / kTile;
    PST_REQUIRE(tiles <= INT32_MAX, "pst_nonzero: %lld elements are too many", static_cast<long long>(n));
    const uint8_t* m = static_cast<const uint8_t*>(mask->data);

    Scratch tile_sums(s);
    PST_CUDA_CHECK(tile_sums.allocate(2 * tiles * sizeof(int64_t)));
    int64_t* tile_counts = tile_sums.as<int64_t>();
    int64_t* tile_offsets = tile_counts + tiles;
    count_tiles_kernel<<<static_cast<unsigned int>(tiles), kThreads, 0, s>>>(m, n, tile_counts);
    PST_LAUNCH_CHECK();

    size_t scan_bytes = 0;
    PST_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(nullptr, scan_bytes, tile_counts, tile_offsets, static_cast<int>(tiles), s));
    Scratch scan(s);
    PST_CUDA_CHECK(scan.allocate(scan_bytes));
    PST_CUDA_CHECK(cub::DeviceScan::ExclusiveSum(scan.as<void>(), scan_bytes, tile_counts, tile_offsets, static_cast<int>(tiles), s));

    MaskShape shape{mask->ndim, {}};
    for (int d = 0; d < mask->ndim; ++d) shape.sizes[d] = mask->sizes[d];
    nonzero_tiles_kernel<<<static_cast<unsigned int>(tiles), kThreads, 0, s>>>(m, n, tile_offsets, shape, coordinates, count);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

}  // extern "C"
