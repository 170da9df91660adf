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
#define PST_ABI_VERSION 7
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
    /// sign for real dtypes (torch.sgn; elementwise math).
    PST_UNARY_SGN = 6,
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
    /* elementwise math (rounding, logarithms, trigonometric, hyperbolic and error functions) */
    PST_UNARY_LOG10 = 36,
    PST_UNARY_EXP2 = 37,
    PST_UNARY_ASIN = 38,
    PST_UNARY_ACOS = 39,
    PST_UNARY_ATAN = 40,
    PST_UNARY_SINH = 41,
    PST_UNARY_COSH = 42,
    PST_UNARY_ASINH = 43,
    PST_UNARY_ACOSH = 44,
    PST_UNARY_ATANH = 45,
    PST_UNARY_ERFC = 46,
    PST_UNARY_ERFINV = 47,
    /// sin(pi x) / (pi x), 1 at 0.
    PST_UNARY_SINC = 48,
    PST_UNARY_DEG2RAD = 49,
    PST_UNARY_RAD2DEG = 50,
    /// x - trunc(x).
    PST_UNARY_FRAC = 51,
} pst_unary_op;

/// dst = a op b. Comparisons and logical ops write a bool dst; the others share one dtype.
/// DIV_FLOOR/DIV_TRUNC/FLOOR_DIVIDE/REMAINDER/FMOD: torch.div(rounding_mode='floor'|'trunc'), floor_divide (the same
/// values as DIV_FLOOR), remainder (the divisor's sign), fmod (the dividend's sign). Integer division by zero gives 0 for all five (the CPU raises ZeroDivisionError; PyTorch's CUDA
/// kernels give unspecified values), MIN / -1 wraps to MIN with remainder 0.
/// BITWISE_AND/OR/XOR: integer and bool dtypes only (floating point is PST_ERROR_NOT_SUPPORTED).
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
    PST_BINARY_DIV_FLOOR = 16,
    PST_BINARY_DIV_TRUNC = 17,
    PST_BINARY_FLOOR_DIVIDE = 18,
    PST_BINARY_REMAINDER = 19,
    PST_BINARY_FMOD = 20,
    PST_BINARY_BITWISE_AND = 21,
    PST_BINARY_BITWISE_OR = 22,
    PST_BINARY_BITWISE_XOR = 23,
    /* elementwise math: floating-point dtypes only (integers are PST_ERROR_NOT_SUPPORTED) */
    PST_BINARY_ATAN2 = 24,
    PST_BINARY_HYPOT = 25,
    /// a * log(b), 0 where a is 0 unless b is NaN.
    PST_BINARY_XLOGY = 26,
    PST_BINARY_COPYSIGN = 27,
    /// The larger/smaller, ignoring a NaN unless both are NaN.
    PST_BINARY_FMAX = 28,
    PST_BINARY_FMIN = 29,
    /// log(e^a + e^b) and log2(2^a + 2^b) without overflow; equal infinities give themselves.
    PST_BINARY_LOGADDEXP = 30,
    PST_BINARY_LOGADDEXP2 = 31,
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

/// A random permutation of 0..n-1 into contiguous int64 dst: the CPU's Fisher-Yates (for i = n-1 down to 1, swap
/// dst[i] with dst[j], j = draw_i % (i + 1), draw_i the 64-bit draw i of pst_fill_randint's layout) reproduced
/// exactly by rounds of non-conflicting swaps. Unlike the other kernels it waits for the stream between batches of
/// rounds (about 2.3 log2 n rounds in all). n < 2^40.
PST_API pst_status pst_fill_randperm(int64_t* dst, int64_t n, uint64_t seed, uint64_t offset, void* stream);

/* ---- indexing (int64 indices; the caller has checked that they lie in range: an entry outside
 *      [0, size of the indexed dimension) is skipped, never read or written through) ---- */

/// dst[p] = src[p with coordinate dim replaced by index[p]] for every position p of dst, copied bit for bit;
/// index has dst's shape (any strides, e.g. expanded), src has dst's ndim and dtype and at least dst's size in
/// every dimension but dim.
PST_API pst_status pst_gather(const pst_tensor* dst, const pst_tensor* src, const pst_tensor* index, int32_t dim, void* stream);
/// dst[p with coordinate dim replaced by index[p]] = src[p], or += src[p] when accumulate is nonzero, for every
/// position p of index; src has index's shape (a larger source is viewed with index's sizes by the caller), dst has
/// index's ndim and dtype and at least index's size in every dimension but dim. Positions sharing a target: a plain
/// scatter keeps one of their values (unspecified which); accumulate adds them atomically in an unspecified order
/// (any dtype but bool; 8- and 16-bit types through a 32-bit compare-and-swap, half types rounding after each add).
PST_API pst_status pst_scatter(const pst_tensor* dst, const pst_tensor* index, const pst_tensor* src, int32_t dim, int32_t accumulate, void* stream);
/// Wraps the n contiguous int64 indices in place: v in [-size, 0) becomes v + size. An entry outside [-size, size)
/// stays as it is, and *first_invalid (a device int64 this call sets to -1 first) receives the lowest position of one.
PST_API pst_status pst_wrap_index(int64_t* index, int64_t n, int64_t size, int64_t* first_invalid, void* stream);
/// *count (a device int64) = the number of nonzero elements of a contiguous bool or uint8 mask.
PST_API pst_status pst_nonzero_count(const pst_tensor* mask, int64_t* count, void* stream);
/// coordinates (contiguous int64 [count, mask ndim]) = the coordinates of the nonzero elements of a contiguous bool
/// or uint8 mask in row-major order; count is pst_nonzero_count's result for the mask.
PST_API pst_status pst_nonzero(const pst_tensor* mask, int64_t* coordinates, int64_t count, void* stream);

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

/* ---- nn kernels for training (contiguous operands; floating dtypes: float32, float64, float16, bfloat16,
 *      the half types computing in float) ---- */

/// Loss reductions; the values are those of PSTorch's LossReduction.
typedef enum pst_reduction {
    PST_REDUCTION_NONE = 0,
    PST_REDUCTION_MEAN = 1,
    PST_REDUCTION_SUM = 2,
} pst_reduction;

/// relu's gradient over n elements: grad_input = output > 0 ? grad_output : 0 (threshold_backward; a NaN output gives 0).
/// relu's input may stand for its output (the sign is the same).
PST_API pst_status pst_relu_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const void* output, int64_t n, void* stream);
/// output = gelu(input) over n elements: x * (1 + erf(x / sqrt 2)) / 2, or with tanh_approximation nonzero
/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Computed in double for float64, in float otherwise.
PST_API pst_status pst_gelu(pst_dtype dtype, void* output, const void* input, int64_t n, int32_t tanh_approximation, void* stream);
/// grad_input = grad_output * gelu'(input) over n elements (same forms and precision as pst_gelu).
PST_API pst_status pst_gelu_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const void* input, int64_t n, int32_t tanh_approximation, void* stream);

/// The activation pst_bias_activation applies after the bias: relu, or GELU exact (erf) or with the tanh approximation.
typedef enum pst_activation {
    PST_ACTIVATION_RELU = 0,
    PST_ACTIVATION_GELU = 1,
    PST_ACTIVATION_GELU_TANH = 2,
} pst_activation;

/// A layer's bias add and activation in one pass over n contiguous elements read as [outer, channels, inner]:
/// output[i] = act(pre[i] + bias[(i / inner) % channels]) (bias NULL: act(pre[i])). The sum is rounded to the dtype
/// before the activation, as an unfused add then activation rounds it; GELU as in pst_gelu.
PST_API pst_status pst_bias_activation(pst_dtype dtype, pst_activation activation, void* output, const void* pre, const void* bias, int64_t n, int64_t channels, int64_t inner, void* stream);
/// grad_pre = grad_output * act'(pre + bias), same layout: for relu `saved` is the forward's output (grad_pre = saved > 0
/// ? grad_output : 0, threshold_backward; bias unused), for GELU it is pre and the sum is recomputed (rounded as in the
/// forward). The bias gradient is grad_pre's sum over outer and inner (pst_reduce).
PST_API pst_status pst_bias_activation_backward(pst_dtype dtype, pst_activation activation, void* grad_pre, const void* grad_output, const void* saved, const void* bias, int64_t n, int64_t channels, int64_t inner, void* stream);

/// 2-d pooling over `planes` independent contiguous [in_height, in_width] planes giving [out_height, out_width]
/// planes (PSTorch's Pool2dGeometry). Padding is added before the first row/column; the output sizes already
/// account for ceil_mode. Adaptive pooling reads only planes and the in/out sizes.
typedef struct pst_pool2d_geometry {
    int64_t planes;
    int32_t in_height;
    int32_t in_width;
    int32_t out_height;
    int32_t out_width;
    int32_t kernel_height;
    int32_t kernel_width;
    int32_t stride_height;
    int32_t stride_width;
    int32_t padding_height;
    int32_t padding_width;
    int32_t dilation_height;
    int32_t dilation_width;
} pst_pool2d_geometry;

/// Window maxima and int64 indices (h * in_width + w within the plane, PyTorch's). A larger value or any NaN
/// takes the place (the last NaN's index wins); a window of -inf keeps its first element's index.
PST_API pst_status pst_max_pool2d(pst_dtype dtype, void* output, int64_t* indices, const void* input, const pst_pool2d_geometry* geometry, void* stream);
/// grad_input (every element written, no zero-fill needed) = the sum of the grad_output elements whose index
/// points at it, added in row-major output order (deterministic; no atomics).
PST_API pst_status pst_max_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* indices, const pst_pool2d_geometry* geometry, void* stream);
/// Window means (no dilation). The divisor is divisor_override if positive, else the window size clipped to the
/// padded input (count_include_pad nonzero) or to the input itself.
PST_API pst_status pst_avg_pool2d(pst_dtype dtype, void* output, const void* input, const pst_pool2d_geometry* geometry, int32_t count_include_pad, int64_t divisor_override, void* stream);
/// grad_input (every element written) = the sum over the windows holding it of grad_output / divisor.
PST_API pst_status pst_avg_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const pst_pool2d_geometry* geometry, int32_t count_include_pad, int64_t divisor_override, void* stream);
/// Means over the windows [floor(i * in / out), ceil((i + 1) * in / out)) of each dim.
PST_API pst_status pst_adaptive_avg_pool2d(pst_dtype dtype, void* output, const void* input, const pst_pool2d_geometry* geometry, void* stream);
/// grad_input (every element written) = the sum over the windows holding it of grad_output / window size.
PST_API pst_status pst_adaptive_avg_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const pst_pool2d_geometry* geometry, void* stream);
/// Maxima over the windows [floor(i * in / out), ceil((i + 1) * in / out)) of each dim and int64 indices
/// (h * in_width + w within the plane). A larger value or any NaN takes the place (the last NaN's index wins);
/// ties keep the first.
PST_API pst_status pst_adaptive_max_pool2d(pst_dtype dtype, void* output, int64_t* indices, const void* input, const pst_pool2d_geometry* geometry, void* stream);
/// grad_input (every element written, no zero-fill needed) = the sum of the grad_output elements whose index
/// points at it, added in row-major output order (deterministic; no atomics).
PST_API pst_status pst_adaptive_max_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* indices, const pst_pool2d_geometry* geometry, void* stream);

/// One group of a 2-d convolution as im2col/col2im see it: `channels` input channels (InChannels / Groups;
/// the caller offsets the pointers by group) of contiguous [in_height, in_width] planes, and the output size.
typedef struct pst_conv2d_geometry {
    int32_t channels;
    int32_t in_height;
    int32_t in_width;
    int32_t out_height;
    int32_t out_width;
    int32_t kernel_height;
    int32_t kernel_width;
    int32_t stride_height;
    int32_t stride_width;
    int32_t padding_height;
    int32_t padding_width;
    int32_t dilation_height;
    int32_t dilation_width;
} pst_conv2d_geometry;

/// For each of `batch` images (image b at input + b * input_batch_stride, col + b * col_batch_stride, in elements):
/// col[(c * kernel_height + ki) * kernel_width + kj, oh * out_width + ow] =
/// input[c, oh * stride_h - pad_h + ki * dilation_h, ow * stride_w - pad_w + kj * dilation_w], 0 outside the input.
/// col of one image is [channels * kernel_height * kernel_width, out_height * out_width], the GEMM operand.
PST_API pst_status pst_im2col(pst_dtype dtype, void* col, const void* input, const pst_conv2d_geometry* geometry, int64_t batch, int64_t input_batch_stride, int64_t col_batch_stride, void* stream);
/// The adjoint of pst_im2col: every input element [channels, in_height, in_width] of each image is WRITTEN (not
/// accumulated) with the sum of the col entries read from it, added in (ki, kj) order as the CPU does.
PST_API pst_status pst_col2im(pst_dtype dtype, void* input, const void* col, const pst_conv2d_geometry* geometry, int64_t batch, int64_t input_batch_stride, int64_t col_batch_stride, void* stream);
/// dst[c] = the sum of contiguous src [batch, channels, plane] over batch and plane (conv and batch-norm bias
/// gradients); accumulated in double for float64, float otherwise.
PST_API pst_status pst_channel_sum(pst_dtype dtype, void* dst, const void* src, int64_t batch, int64_t channels, int64_t plane, void* stream);

/// nll_loss of contiguous log_probs [rows, classes] with int64 target [rows] and optional weight [classes] (NULL: 1):
/// loss_i = -weight[t] * log_probs[i, t], t = target[i], 0 where t == ignore_index. output is [rows] for
/// PST_REDUCTION_NONE, else a scalar (sum, or sum / total_weight for mean); with a reduction, total_weight (a scalar,
/// may be NULL) = the sum of the weights of the rows that count (not written for none). Sums are taken in double. A target outside [0, classes) other than ignore_index
/// counts as ignored and sets *invalid_target (a device int32 the caller zeroes beforehand and reads when it
/// synchronises; PyTorch raises "Target t is out of bounds."); invalid_target may be NULL.
PST_API pst_status pst_nll_loss(pst_dtype dtype, void* output, void* total_weight, const void* log_probs, const int64_t* target, const void* weight, int64_t rows, int64_t classes, int64_t ignore_index, pst_reduction reduction, int32_t* invalid_target, void* stream);
/// grad_input [rows, classes] (every element written) = -weight[t] * g at [i, t], 0 elsewhere, with g = grad_output[i]
/// (none), grad_output[0] / total_weight[0] (mean) or grad_output[0] (sum). Rows with an ignored or invalid target are 0.
PST_API pst_status pst_nll_loss_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* target, const void* weight, const void* total_weight, int64_t rows, int64_t classes, int64_t ignore_index, pst_reduction reduction, void* stream);
/// cross_entropy of contiguous logits [rows, classes] against int64 class indices, fused with the log-softmax:
/// per row, lse = logsumexp(logits[i]) and loss_i = (1 - s) * nll_i + s / classes * smooth_i with s = label_smoothing,
/// nll_i = -w[t] (x_t - lse), smooth_i = -sum_j w[j] (x_j - lse) (the smooth term is skipped when s == 0), both 0 for
/// an ignored row. Reduction and total_weight as pst_nll_loss (mean divides both terms by total_weight, as
/// torch.nn.functional.cross_entropy). lse [rows] is written for the backward; it is float64 for float64 logits
/// and float32 otherwise. invalid_target as pst_nll_loss. With a reduction the kernel runs as one block (sums in
/// double, deterministic): right for classifier batches, slow for millions of rows.
PST_API pst_status pst_cross_entropy(pst_dtype dtype, void* output, void* total_weight, void* lse, const void* logits, const int64_t* target, const void* weight, int64_t rows, int64_t classes, int64_t ignore_index, double label_smoothing, pst_reduction reduction, int32_t* invalid_target, void* stream);
/// grad_logits [rows, classes] (every element written) = g_i * ((1 - s) w[t] (p_k - [k == t]) + s / classes (W p_k - w[k]))
/// with p = exp(x - lse), W = sum_j w[j], g_i as pst_nll_loss_backward; 0 for ignored or invalid rows.
PST_API pst_status pst_cross_entropy_backward(pst_dtype dtype, void* grad_logits, const void* grad_output, const void* logits, const void* lse, const int64_t* target, const void* weight, const void* total_weight, int64_t rows, int64_t classes, int64_t ignore_index, double label_smoothing, pst_reduction reduction, void* stream);

/// Batch normalisation of contiguous input [batch, channels, plane]. The per-channel tensors (weight, bias,
/// running_mean, running_var, save_mean, save_invstd) are float64 for float64 input and float32 otherwise;
/// weight and bias may be NULL (1 and 0). training nonzero: the batch mean and biased variance (two-pass) normalise,
/// save_mean/save_invstd receive them (invstd = 1 / sqrt(var + eps)) and the running statistics, when not NULL,
/// become (1 - momentum) * running + momentum * statistic, with the unbiased variance. training zero: the running
/// statistics normalise, and save_mean/save_invstd (may be NULL) receive them for the backward.
PST_API pst_status pst_batch_norm_forward(pst_dtype dtype, void* output, void* save_mean, void* save_invstd, void* running_mean, void* running_var, const void* input, const void* weight, const void* bias, int64_t batch, int64_t channels, int64_t plane, int32_t training, double momentum, double eps, void* stream);
/// Gradients of pst_batch_norm_forward from its save_mean/save_invstd. training nonzero: grad_input flows through
/// the batch statistics as well, invstd * (dy w - w mean(dy) - xhat w mean(dy xhat)); zero: grad_input = dy w invstd.
/// grad_weight = sum(dy xhat), grad_bias = sum(dy) per channel. Each output may be NULL (not wanted).
PST_API pst_status pst_batch_norm_backward(pst_dtype dtype, void* grad_input, void* grad_weight, void* grad_bias, const void* grad_output, const void* input, const void* weight, const void* save_mean, const void* save_invstd, int64_t batch, int64_t channels, int64_t plane, int32_t training, void* stream);
/// layer_norm over the last `cols` elements of contiguous input [rows, cols]: y = (x - mean) * rstd * weight + bias
/// with the row's mean and biased variance (two-pass), rstd = 1 / sqrt(var + eps). weight/bias [cols] have the
/// input's dtype and may be NULL; save_mean/save_rstd [rows] are float64 for float64 input, float32 otherwise.
PST_API pst_status pst_layer_norm_forward(pst_dtype dtype, void* output, void* save_mean, void* save_rstd, const void* input, const void* weight, const void* bias, int64_t rows, int64_t cols, double eps, void* stream);
/// Gradients of pst_layer_norm_forward: grad_input = rstd * (dy w - mean(dy w) - xhat mean(dy w xhat)) per row,
/// grad_weight = sum over rows of dy xhat, grad_bias = sum over rows of dy. Each output may be NULL.
PST_API pst_status pst_layer_norm_backward(pst_dtype dtype, void* grad_input, void* grad_weight, void* grad_bias, const void* grad_output, const void* input, const void* weight, const void* save_mean, const void* save_rstd, int64_t rows, int64_t cols, void* stream);

/// One Adam/AdamW step (step number `step`, 1-based, shared by the list) for `count` contiguous parameters of
/// one floating dtype, in as few launches as the kernel-argument space allows (24 tensors each). The pointer
/// arrays are host arrays of device pointers; sizes[i] is parameter i's element count; max_exp_avg_sqs is NULL
/// without amsgrad. Arithmetic of IBackend.AdamStep: g = (maximize ? -grad : grad) (+ weight_decay * p unless
/// decoupled); p *= 1 - lr * weight_decay when decoupled; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// v = max(vmax, v) with amsgrad; p -= m / (sqrt(v) / sqrt(1 - b2^step) + eps) * lr / (1 - b1^step).
PST_API pst_status pst_adam_step(pst_dtype dtype, void** params, void** grads, void** exp_avgs, void** exp_avg_sqs, void** max_exp_avg_sqs, const int64_t* sizes, int32_t count, double lr, double beta1, double beta2, double eps, double weight_decay, int32_t decoupled, int32_t maximize, int64_t step, void* stream);
/// One SGD step for `count` parameters (arrays as pst_adam_step; momentum_buffers NULL without momentum), the
/// arithmetic of IBackend.SgdStep: g = (maximize ? -grad : grad) + weight_decay * p; with momentum buf = initialize_buffer ?
/// g : momentum * buf + (1 - dampening) g, g = nesterov ? g + momentum * buf : buf; p -= lr * g.
PST_API pst_status pst_sgd_step(pst_dtype dtype, void** params, void** grads, void** momentum_buffers, const int64_t* sizes, int32_t count, int32_t initialize_buffer, double lr, double momentum, double dampening, double weight_decay, int32_t nesterov, int32_t maximize, void* stream);
/// One Adagrad step (step number `step`, 1-based, shared by the list) for `count` parameters (arrays as
/// pst_adam_step), the arithmetic of IBackend.AdagradStep: g = (maximize ? -grad : grad) + weight_decay * p;
/// sum += g^2; p -= g / (sqrt(sum) + eps) * clr with clr = lr / (1 + (step - 1) * lr_decay), computed in double.
PST_API pst_status pst_adagrad_step(pst_dtype dtype, void** params, void** grads, void** sums, const int64_t* sizes, int32_t count, double lr, double lr_decay, double weight_decay, double eps, int32_t maximize, int64_t step, void* stream);
/// One RMSprop step for `count` parameters (arrays as pst_adam_step; grad_avgs NULL unless centered,
/// momentum_buffers NULL without momentum), the arithmetic of IBackend.RmspropStep: g = (maximize ? -grad : grad) +
/// weight_decay * p; square_avg = alpha square_avg + (1 - alpha) g^2; centered: grad_avg = alpha grad_avg +
/// (1 - alpha) g, avg = square_avg - grad_avg^2, else avg = square_avg; d = g / (sqrt(avg) + eps); with momentum
/// buf = momentum buf + d, p -= lr buf, else p -= lr d.
PST_API pst_status pst_rmsprop_step(pst_dtype dtype, void** params, void** grads, void** square_avgs, void** grad_avgs, void** momentum_buffers, const int64_t* sizes, int32_t count, double lr, double alpha, double eps, double weight_decay, double momentum, int32_t maximize, void* stream);

/// Dropout over n contiguous elements: element i draws u as pst_fill_uniform(0, 1) does for element i (float32
/// layout: block offset + i/4, word i%4, for every dtype but float64; float64: block offset + i/2), keeps it when
/// u >= p (compared in float, or double for float64), and writes output = input * (kept ? 1 / (1 - p) : 0) and
/// mask[i] = kept (uint8, may be NULL). The caller advances its generator by the blocks of a uniform fill of n.
PST_API pst_status pst_dropout(pst_dtype dtype, void* output, uint8_t* mask, const void* input, int64_t n, double p, uint64_t seed, uint64_t offset, void* stream);
/// grad_input = grad_output * (mask[i] ? 1 / (1 - p) : 0) over n elements.
PST_API pst_status pst_dropout_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const uint8_t* mask, int64_t n, double p, void* stream);


/* ---- sorting and selection (sort.cu). One strict total order: NaN above every number (first when descending),
 *      -0.0 equal to 0.0, ties by original index in both directions, so results equal the CPU's stable sort. ---- */

/// Sorts each of the `rows` contiguous rows of n elements of src into values (src's dtype) and indices (int64, the
/// positions in the row), both contiguous [rows, n]; ascending unless descending is nonzero.
PST_API pst_status pst_sort(pst_dtype dtype, void* values, int64_t* indices, const void* src, int64_t rows, int64_t n, int32_t descending, void* stream);
/// dst[r, j] (int32 when out_int32, else int64; contiguous [rows, values_per_row]) = the first i in [0, boundary_count)
/// with !(boundaries[r, i] < values[r, j]) (or !(boundaries[r, i] <= values[r, j]) when right is nonzero), row 0 of
/// boundaries serving every row when shared_boundaries is nonzero; boundaries and values share dtype, contiguous.
PST_API pst_status pst_searchsorted(pst_dtype dtype, void* dst, int32_t out_int32, const void* boundaries, const void* values, int64_t rows, int64_t boundary_count, int64_t values_per_row, int32_t shared_boundaries, int32_t right, void* stream);
/// From rows sorted ascending (contiguous [rows, n], n >= 1, sorted_indices their original positions): values[r] =
/// the value of the longest run of equal elements in row r (the first of equally long runs; NaN never equals NaN)
/// and indices[r] = the original position of the run's last element.
PST_API pst_status pst_mode_of_sorted(pst_dtype dtype, void* values, int64_t* indices, const void* sorted_values, const int64_t* sorted_indices, int64_t rows, int64_t n, void* stream);

/* ---- scans (cumsum, cumprod, cummax/cummin, logcumsumexp) ---- */

typedef enum pst_scan_op {
    PST_SCAN_SUM = 0,
    PST_SCAN_PROD = 1,
    PST_SCAN_MAX = 2,
    PST_SCAN_MIN = 3,
    PST_SCAN_LOGSUMEXP = 4,
} pst_scan_op;

/// Inclusive scan of src along dim into dst (src's shape and dtype): floating sums, products and log-sum-exps
/// accumulate in float (double for float64), integer ones in their type. max/min also write to indices (int64,
/// src's shape) the position of the running extreme: the last one on ties, NaN propagates; indices is NULL otherwise.
PST_API pst_status pst_scan(pst_scan_op op, const pst_tensor* dst, const pst_tensor* indices, const pst_tensor* src, int32_t dim, void* stream);

#ifdef __cplusplus
}
#endif

#endif
