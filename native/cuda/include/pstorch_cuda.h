/*
 * pstorch_cuda.h -- the whole ABI between PSTorch's C# engine and its CUDA kernels (libpstorch_cuda).
 *
 * Conventions
 *   - Every function returns a pst_status (PST_SUCCESS = 0) except the two string getters, which return
 *     static or thread-local strings the caller must not free. After a failure,
 *     pst_get_last_error_message() gives this thread's detailed message (call, reason, file:line).
 *   - Streams and events are passed as opaque `void*` (cudaStream_t / cudaEvent_t); a NULL stream is
 *     CUDA's legacy default stream. Kernels are asynchronous on the stream they are given.
 *   - Device pointers are `void*`. Strided kernels take `const pst_tensor*` descriptors whose `data`
 *     points at element [0, ..., 0] (storage + offset already applied) and whose strides count elements.
 *     Elementwise inputs already have the output's shape (broadcast dimensions have stride 0).
 *   - Functions that allocate on a device (pst_malloc_async) or run kernels act on the device the
 *     calling thread has made current with pst_set_device.
 *
 * Restricted C style (bindings/Generator parses this file with its own small parser; keep to it):
 *   - Comments: `//` line comments and block comments. A run of `///` lines immediately before a
 *     declaration becomes its C# documentation.
 *   - Preprocessor lines are ignored, except `#define PST_NAME <integer>` (becomes a C# constant);
 *     the `#ifdef __cplusplus` ... `#endif` blocks are skipped whole.
 *   - Types: void, int8_t uint8_t int16_t int32_t uint32_t int64_t uint64_t float double,
 *     `const char*` (return of the string getters only), pointers (one or two levels) to these or to the
 *     typedefs below, and the typedefs declared here. No size_t, no function pointers, no unions,
 *     no bit fields, no varargs.
 *   - Enums: `typedef enum pst_x { PST_A = 0, PST_B = 1, ... } pst_x;` with explicit integer values.
 *   - Structs: `typedef struct pst_x { type field; type field[CONST_OR_INT]; ... } pst_x;` one field per
 *     declaration, fixed arrays allowed (sized by an integer or a PST_ #define).
 *   - Functions: `PST_API <return type> <name>(<type> <name>, ...);` or `(void)`; every parameter named.
 */
#ifndef PSTORCH_CUDA_H
#define PSTORCH_CUDA_H

#include <stdint.h>

#if defined(_WIN32)
#  if defined(PSTORCH_CUDA_BUILD)
#    define PST_API __declspec(dllexport)
#  else
#    define PST_API __declspec(dllimport)
#  endif
#else
#  define PST_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Bumped whenever a declaration here changes; the C# side refuses a library built from another version.
#define PST_ABI_VERSION 2
/// Most dimensions a pst_tensor describes.
#define PST_MAX_DIMS 8
/// Bytes of pst_device_properties.name, NUL included.
#define PST_DEVICE_NAME_LENGTH 256

typedef enum pst_status {
    PST_SUCCESS = 0,
    PST_ERROR_INVALID_ARGUMENT = 1,
    PST_ERROR_OUT_OF_MEMORY = 2,
    PST_ERROR_NOT_SUPPORTED = 3,
    PST_ERROR_CUDA = 4,
    PST_ERROR_CUBLAS = 5,
    PST_ERROR_NO_DEVICE = 6,
    PST_ERROR_DRIVER_TOO_OLD = 7,
} pst_status;

/// Element types; the values are those of PSTorch.DType.
typedef enum pst_dtype {
    PST_BOOL = 0,
    PST_UINT8 = 1,
    PST_INT8 = 2,
    PST_INT16 = 3,
    PST_INT32 = 4,
    PST_INT64 = 5,
    PST_FLOAT16 = 6,
    PST_BFLOAT16 = 7,
    PST_FLOAT32 = 8,
    PST_FLOAT64 = 9,
} pst_dtype;

typedef enum pst_memcpy_kind {
    PST_MEMCPY_HOST_TO_DEVICE = 1,
    PST_MEMCPY_DEVICE_TO_HOST = 2,
    PST_MEMCPY_DEVICE_TO_DEVICE = 3,
    /// Direction inferred from the pointers (unified addressing).
    PST_MEMCPY_DEFAULT = 4,
} pst_memcpy_kind;

/// dst = op(src), same dtype. Ops from PST_UNARY_EXP on need a floating-point dtype.
typedef enum pst_unary_op {
    PST_UNARY_NEG = 0,
    PST_UNARY_ABS = 1,
    PST_UNARY_RELU = 2,
    PST_UNARY_SIGN = 3,
    PST_UNARY_LOGICAL_NOT = 4,
    PST_UNARY_SQUARE = 5,
    PST_UNARY_EXP = 16,
    PST_UNARY_LOG = 17,
    PST_UNARY_SQRT = 18,
    PST_UNARY_RSQRT = 19,
    PST_UNARY_SIN = 20,
    PST_UNARY_COS = 21,
    PST_UNARY_TANH = 22,
    PST_UNARY_SIGMOID = 23,
    PST_UNARY_RECIPROCAL = 24,
    PST_UNARY_EXPM1 = 25,
    PST_UNARY_LOG1P = 26,
    PST_UNARY_FLOOR = 27,
    PST_UNARY_CEIL = 28,
    PST_UNARY_ROUND = 29,
    PST_UNARY_TRUNC = 30,
    PST_UNARY_ERF = 31,
    PST_UNARY_SILU = 32,
    PST_UNARY_GELU = 33,
    PST_UNARY_TAN = 34,
    PST_UNARY_LOG2 = 35,
} pst_unary_op;

/// dst = a op b. Comparisons and logical ops write a bool dst; the others share one dtype.
typedef enum pst_binary_op {
    PST_BINARY_ADD = 0,
    PST_BINARY_SUB = 1,
    PST_BINARY_MUL = 2,
    PST_BINARY_DIV = 3,
    PST_BINARY_POW = 4,
    PST_BINARY_MAXIMUM = 5,
    PST_BINARY_MINIMUM = 6,
    PST_BINARY_EQ = 7,
    PST_BINARY_NE = 8,
    PST_BINARY_LT = 9,
    PST_BINARY_LE = 10,
    PST_BINARY_GT = 11,
    PST_BINARY_GE = 12,
    PST_BINARY_LOGICAL_AND = 13,
    PST_BINARY_LOGICAL_OR = 14,
    PST_BINARY_LOGICAL_XOR = 15,
} pst_binary_op;

typedef enum pst_reduce_op {
    PST_REDUCE_SUM = 0,
    PST_REDUCE_MEAN = 1,
    PST_REDUCE_PROD = 2,
    PST_REDUCE_MAX = 3,
    PST_REDUCE_MIN = 4,
    PST_REDUCE_ARGMAX = 5,
    PST_REDUCE_ARGMIN = 6,
} pst_reduce_op;

/// A strided view of device memory.
typedef struct pst_tensor {
    /// Element [0, ..., 0]: the storage pointer plus the view's offset.
    void* data;
    pst_dtype dtype;
    int32_t ndim;
    int64_t sizes[PST_MAX_DIMS];
    /// In elements, not bytes.
    int64_t strides[PST_MAX_DIMS];
} pst_tensor;

typedef struct pst_device_properties {
    uint8_t name[PST_DEVICE_NAME_LENGTH];
    int64_t total_memory;
    int32_t major;
    int32_t minor;
    int32_t multiprocessor_count;
    int32_t max_threads_per_block;
    int32_t warp_size;
    int32_t l2_cache_bytes;
    int32_t memory_bus_width_bits;
    int32_t memory_clock_khz;
    int32_t pci_bus_id;
    int32_t pci_device_id;
} pst_device_properties;

/// What torch.cuda.memory_stats reports, for one device.
typedef struct pst_memory_stats {
    /// Bytes held by live allocations made through pst_malloc_async.
    int64_t allocated_bytes;
    int64_t max_allocated_bytes;
    /// Bytes the stream-ordered pool holds from the driver (live + cached).
    int64_t reserved_bytes;
    int64_t max_reserved_bytes;
    int64_t allocation_count;
    /// Allocations that succeeded only after cached blocks were released.
    int64_t retry_count;
} pst_memory_stats;

/* ---- errors and versions ---- */

/// A short constant description of a status.
PST_API const char* pst_get_error_string(pst_status status);
/// This thread's message for its last failed call ("" when none); valid until the thread's next call.
PST_API const char* pst_get_last_error_message(void);
/// PST_ABI_VERSION of the built library.
PST_API pst_status pst_get_abi_version(int32_t* version);
PST_API pst_status pst_get_driver_version(int32_t* version);
PST_API pst_status pst_get_runtime_version(int32_t* version);

/* ---- devices ---- */

PST_API pst_status pst_get_device_count(int32_t* count);
PST_API pst_status pst_get_device_properties(int32_t device, pst_device_properties* properties);
PST_API pst_status pst_set_device(int32_t device);
PST_API pst_status pst_get_device(int32_t* device);
PST_API pst_status pst_device_synchronize(void);
PST_API pst_status pst_mem_get_info(int32_t device, uint64_t* free_bytes, uint64_t* total_bytes);

/* ---- streams and events ---- */

/// A non-blocking stream (does not synchronise with the legacy default stream).
PST_API pst_status pst_stream_create(void** stream);
PST_API pst_status pst_stream_destroy(void* stream);
PST_API pst_status pst_stream_synchronize(void* stream);
/// The stream waits until the event has completed.
PST_API pst_status pst_stream_wait_event(void* stream, void* event);
/// An event that records timing.
PST_API pst_status pst_event_create(void** event);
PST_API pst_status pst_event_destroy(void* event);
PST_API pst_status pst_event_record(void* event, void* stream);
PST_API pst_status pst_event_synchronize(void* event);
PST_API pst_status pst_event_elapsed_ms(void* start, void* end, float* milliseconds);

/* ---- memory ---- */

/// Sets how many bytes the device's stream-ordered pool keeps cached after frees (UINT64_MAX: keep all).
PST_API pst_status pst_memory_set_release_threshold(int32_t device, uint64_t bytes);
/// Stream-ordered allocation from the current device's pool. On failure the pool's cached blocks are
/// released and the allocation retried once; a real out-of-memory error names the size and free/total memory.
PST_API pst_status pst_malloc_async(void** pointer, uint64_t bytes, void* stream);
/// Returns memory from pst_malloc_async; bytes must be the size it was allocated with (for the statistics).
PST_API pst_status pst_free_async(void* pointer, uint64_t bytes, void* stream);
PST_API pst_status pst_memory_stats_get(int32_t device, pst_memory_stats* stats);
/// Restarts max_allocated_bytes and max_reserved_bytes from the current values.
PST_API pst_status pst_memory_reset_peak(int32_t device);
/// Waits for the device, then gives the pool's cached (unused) memory back to the driver.
PST_API pst_status pst_empty_cache(int32_t device);
/// Page-locked host memory for fast asynchronous copies.
PST_API pst_status pst_host_alloc_pinned(void** pointer, uint64_t bytes);
PST_API pst_status pst_host_free_pinned(void* pointer);
PST_API pst_status pst_memcpy_async(void* dst, const void* src, uint64_t bytes, pst_memcpy_kind kind, void* stream);
PST_API pst_status pst_memset_async(void* dst, int32_t byte_value, uint64_t bytes, void* stream);

/* ---- copy and cast ---- */

/// dst = src converted to dst's dtype (as a C cast; nonzero -> true for bool); same shape, any strides.
PST_API pst_status pst_copy(const pst_tensor* dst, const pst_tensor* src, void* stream);
/// Every element of dst = value converted to dst's dtype.
PST_API pst_status pst_fill(const pst_tensor* dst, double value, void* stream);
/// dst[i] = start + i * step over the row-major index i (torch.arange), computed in double without a fused
/// multiply-add (as the CPU does) and converted; in exact int64 arithmetic when dst is int64 and start and step are whole.
PST_API pst_status pst_fill_arange(const pst_tensor* dst, double start, double step, void* stream);
/// numel(dst) points from start to end (torch.linspace): the first half counted from start, the rest back from end,
/// so the last point is exactly end; computed in double and converted.
PST_API pst_status pst_fill_linspace(const pst_tensor* dst, double start, double end, void* stream);

/* ---- elementwise ---- */

PST_API pst_status pst_unary(pst_unary_op op, const pst_tensor* dst, const pst_tensor* src, void* stream);
PST_API pst_status pst_binary(pst_binary_op op, const pst_tensor* dst, const pst_tensor* a, const pst_tensor* b, void* stream);
/// dst = cond ? a : b; cond is bool, a, b and dst share one dtype.
PST_API pst_status pst_where(const pst_tensor* dst, const pst_tensor* cond, const pst_tensor* a, const pst_tensor* b, void* stream);
/// dst = min(max(src, min_value), max_value), a bound applying only when its has_ flag is nonzero; NaN stays NaN.
PST_API pst_status pst_clamp(const pst_tensor* dst, const pst_tensor* src, double min_value, double max_value, int32_t has_min, int32_t has_max, void* stream);

/* ---- reductions ---- */

/// Reduces src over the dimensions whose bit is set in dim_mask (bit d = dimension d). dst has src's ndim
/// with size 1 in every reduced dimension (keepdim layout). Accumulation: float64 in double, other floats
/// in float, integers in int64. SUM/PROD/MEAN: dst has src's dtype, or int64 for integral/bool src.
/// MAX/MIN: src's dtype (NaN propagates). ARGMAX/ARGMIN: int64, the row-major index within the reduced
/// dimensions of the first extreme value (NaN counts as the extreme).
PST_API pst_status pst_reduce(pst_reduce_op op, const pst_tensor* dst, const pst_tensor* src, uint32_t dim_mask, void* stream);
/// max/min along one dimension with indices (torch.max(x, dim)); values and indices in keepdim layout.
PST_API pst_status pst_reduce_with_indices(pst_reduce_op op, const pst_tensor* values, const pst_tensor* indices, const pst_tensor* src, int32_t dim, void* stream);

/* ---- softmax ---- */

/// Softmax (log_softmax when log is nonzero) of src along dim; floating-point, dst has src's shape and dtype.
PST_API pst_status pst_softmax(const pst_tensor* dst, const pst_tensor* src, int32_t dim, int32_t log, void* stream);
/// Gradient of softmax/log_softmax: from the forward output and the output's gradient.
PST_API pst_status pst_softmax_backward(const pst_tensor* grad_input, const pst_tensor* grad_output, const pst_tensor* output, int32_t dim, int32_t log, void* stream);

/* ---- random (Philox4x32-10; the element layout of PSTorch's RandomLayout, so CPU and CUDA agree) ---- */

/// Uniform in [from, to); element i (row-major over dst's shape) reads block offset + i/4 (float) or i/2 (double).
PST_API pst_status pst_fill_uniform(const pst_tensor* dst, double from, double to, uint64_t seed, uint64_t offset, void* stream);
/// Normal(mean, std) by Box-Muller; pair p = i/2 reads block offset + p.
PST_API pst_status pst_fill_normal(const pst_tensor* dst, double mean, double std, uint64_t seed, uint64_t offset, void* stream);
/// Integers in [low, high) from 64-bit draws; dst is int64.
PST_API pst_status pst_fill_randint(const pst_tensor* dst, int64_t low, int64_t high, uint64_t seed, uint64_t offset, void* stream);

/* ---- matmul (cuBLAS) ---- */

/// Whether float32 matmuls may use TF32 tensor cores (torch.backends.cuda.matmul.allow_tf32; off by default).
PST_API pst_status pst_set_allow_tf32(int32_t allow);
PST_API pst_status pst_get_allow_tf32(int32_t* allow);
/// Row-major batched GEMM: C[i] = alpha * op(A[i]) @ op(B[i]) + beta * C[i], op = transpose when trans_ is
/// nonzero; op(A) is m x k, op(B) is k x n, C is m x n; ld* are row strides and stride_* batch strides, in
/// elements. float32, float64, float16 and bfloat16 (the half types accumulate in float32).
PST_API pst_status pst_gemm_strided_batched(pst_dtype dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
    double alpha, const void* a, int64_t lda, int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b,
    double beta, void* c, int64_t ldc, int64_t stride_c, int64_t batch, void* stream);

#ifdef __cplusplus
}
#endif

#endif
