// Batched GEMM through cuBLAS for row-major operands: C = A @ B is computed as the column-major C^T = B^T A^T,
// so no operand is copied or transposed. TF32 only when allowed (torch.backends.cuda.matmul.allow_tf32).
#include "common.cuh"

#include <atomic>
#include <climits>
#include <cublas_v2.h>

namespace pst {
namespace {

std::atomic<int> allow_tf32{0};

constexpr int kMaxDevices = 64;
// A handle per thread and device: cuBLAS handles must not be used by two threads at once.
thread_local cublasHandle_t handles[kMaxDevices] = {};

#define PST_CUBLAS_CHECK(call)                                                                      \
    do {                                                                                            \
        cublasStatus_t pst_cb_ = (call);                                                            \
        if (pst_cb_ != CUBLAS_STATUS_SUCCESS)                                                       \
            PST_FAIL(pst_cb_ == CUBLAS_STATUS_ALLOC_FAILED ? PST_ERROR_OUT_OF_MEMORY : PST_ERROR_CUBLAS, \
                     "%s: %s", #call, cublasGetStatusString(pst_cb_));                               \
    } while (0)

pst_status handle_for_current_device(cublasHandle_t* handle) {
    int device = 0;
    PST_CUDA_CHECK(cudaGetDevice(&device));
    PST_REQUIRE(device < kMaxDevices, "device %d is beyond the %d devices PSTorch tracks", device, kMaxDevices);
    if (handles[device] == nullptr) PST_CUBLAS_CHECK(cublasCreate(&handles[device]));
    *handle = handles[device];
    return PST_SUCCESS;
}

bool fits_int(int64_t v) { return v >= 0 && v <= INT_MAX; }

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_set_allow_tf32(int32_t allow) {
    allow_tf32.store(allow != 0 ? 1 : 0);
    return PST_SUCCESS;
}

pst_status pst_get_allow_tf32(int32_t* allow) {
    PST_REQUIRE(allow != nullptr, "pst_get_allow_tf32: allow is NULL");
    *allow = allow_tf32.load();
    return PST_SUCCESS;
}

pst_status pst_gemm_strided_batched(pst_dtype dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                                    const void* a, int64_t lda, int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, double beta,
                                    void* c, int64_t ldc, int64_t stride_c, int64_t batch, void* stream) {
    PST_REQUIRE(fits_int(m) && fits_int(n) && fits_int(k) && fits_int(batch), "pst_gemm_strided_batched: m, n, k and batch must be in 0..%d", INT_MAX);
    PST_REQUIRE(fits_int(lda) && fits_int(ldb) && fits_int(ldc), "pst_gemm_strided_batched: leading dimensions must be in 0..%d", INT_MAX);
    if (m == 0 || n == 0 || batch == 0) return PST_SUCCESS;
    PST_REQUIRE(a != nullptr && b != nullptr && c != nullptr, "pst_gemm_strided_batched: an operand pointer is NULL");
    // Row-major X with row stride ld is the column-major X^T; a leading dimension is at least the row length.
    PST_REQUIRE(lda >= (trans_a ? m : k) || (trans_a ? m : k) <= 1, "pst_gemm_strided_batched: lda %lld is too small", static_cast<long long>(lda));
    PST_REQUIRE(ldb >= (trans_b ? k : n) || (trans_b ? k : n) <= 1, "pst_gemm_strided_batched: ldb %lld is too small", static_cast<long long>(ldb));
    PST_REQUIRE(ldc >= n, "pst_gemm_strided_batched: ldc %lld is smaller than n", static_cast<long long>(ldc));

    cublasHandle_t handle;
    PST_CHECK(handle_for_current_device(&handle));
    PST_CUBLAS_CHECK(cublasSetStream(handle, as_stream(stream)));

    cudaDataType_t type;
    cublasComputeType_t compute;
    switch (dtype) {
        case PST_FLOAT32:
            type = CUDA_R_32F;
            compute = allow_tf32.load() ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
            break;
        case PST_FLOAT64: type = CUDA_R_64F; compute = CUBLAS_COMPUTE_64F; break;
        case PST_FLOAT16: type = CUDA_R_16F; compute = CUBLAS_COMPUTE_32F; break;
        case PST_BFLOAT16: type = CUDA_R_16BF; compute = CUBLAS_COMPUTE_32F; break;
        default: PST_FAIL(PST_ERROR_NOT_SUPPORTED, "\"addmm_cuda\" not implemented for '%s'", dtype_name(dtype));
    }
    const float alpha_f = static_cast<float>(alpha), beta_f = static_cast<float>(beta);
    const void* alpha_p = dtype == PST_FLOAT64 ? static_cast<const void*>(&alpha) : &alpha_f;
    const void* beta_p = dtype == PST_FLOAT64 ? static_cast<const void*>(&beta) : &beta_f;
    // cuBLAS rejects a leading dimension below the column-major row count even for a single column/row.
    const int lda_c = static_cast<int>(std::max<int64_t>(lda, trans_a ? m : k));
    const int ldb_c = static_cast<int>(std::max<int64_t>(ldb, trans_b ? k : n));
    PST_CUBLAS_CHECK(cublasGemmStridedBatchedEx(handle, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N, trans_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                                                static_cast<int>(n), static_cast<int>(m), static_cast<int>(k), alpha_p,
                                                b, type, std::max(ldb_c, 1), stride_b, a, type, std::max(lda_c, 1), stride_a, beta_p,
                                                c, type, static_cast<int>(std::max<int64_t>(ldc, 1)), stride_c, static_cast<int>(batch), compute,
                                                CUBLAS_GEMM_DEFAULT));
    return PST_SUCCESS;
}

}  // extern "C"
