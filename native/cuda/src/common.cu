// Error state, status strings, versions and descriptor checks shared by all families.
#include "common.cuh"

#include <cstdarg>
#include <cstring>

namespace pst {

namespace {
thread_local char last_error[1024] = "";
}

pst_status set_error(pst_status status, const char* file, int line, const char* format, ...) {
    char what[896];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof what, format, args);
    va_end(args);
    const char* base = std::strrchr(file, '/');
    snprintf(last_error, sizeof last_error, "%s at %s:%d", what, base ? base + 1 : file, line);
    return status;
}

void clear_error() { last_error[0] = '\0'; }

pst_status status_from_cuda(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return PST_SUCCESS;
        case cudaErrorMemoryAllocation: return PST_ERROR_OUT_OF_MEMORY;
        case cudaErrorNoDevice: return PST_ERROR_NO_DEVICE;
        case cudaErrorInsufficientDriver: return PST_ERROR_DRIVER_TOO_OLD;
        case cudaErrorInvalidValue:
        case cudaErrorInvalidDevice:
        case cudaErrorInvalidDevicePointer: return PST_ERROR_INVALID_ARGUMENT;
        case cudaErrorNotSupported: return PST_ERROR_NOT_SUPPORTED;
        default: return PST_ERROR_CUDA;
    }
}

const char* dtype_name(pst_dtype dtype) {
    switch (dtype) {
        case PST_BOOL: return "bool";
        case PST_UINT8: return "uint8";
        case PST_INT8: return "int8";
        case PST_INT16: return "int16";
        case PST_INT32: return "int32";
        case PST_INT64: return "int64";
        case PST_FLOAT16: return "float16";
        case PST_BFLOAT16: return "bfloat16";
        case PST_FLOAT32: return "float32";
        case PST_FLOAT64: return "float64";
        default: return "unknown";
    }
}

int dtype_size(pst_dtype dtype) {
    switch (dtype) {
        case PST_BOOL: case PST_UINT8: case PST_INT8: return 1;
        case PST_INT16: case PST_FLOAT16: case PST_BFLOAT16: return 2;
        case PST_INT32: case PST_FLOAT32: return 4;
        case PST_INT64: case PST_FLOAT64: return 8;
        default: return 0;
    }
}

pst_status check_tensor(const pst_tensor* t, const char* what) {
    PST_REQUIRE(t != nullptr, "%s: the tensor descriptor is NULL", what);
    PST_REQUIRE(dtype_size(t->dtype) != 0, "%s: unknown dtype code %d", what, static_cast<int>(t->dtype));
    PST_REQUIRE(t->ndim >= 0 && t->ndim <= PST_MAX_DIMS, "%s: ndim %d is outside 0..%d", what, t->ndim, PST_MAX_DIMS);
    for (int d = 0; d < t->ndim; ++d)
        PST_REQUIRE(t->sizes[d] >= 0, "%s: size %lld of dimension %d is negative", what, static_cast<long long>(t->sizes[d]), d);
    PST_REQUIRE(t->data != nullptr || numel(*t) == 0, "%s: data is NULL", what);
    return PST_SUCCESS;
}

int64_t numel(const pst_tensor& t) {
    int64_t n = 1;
    for (int d = 0; d < t.ndim; ++d) n *= t.sizes[d];
    return n;
}

bool same_shape(const pst_tensor& a, const pst_tensor& b) {
    if (a.ndim != b.ndim) return false;
    for (int d = 0; d < a.ndim; ++d)
        if (a.sizes[d] != b.sizes[d]) return false;
    return true;
}

bool is_contiguous(const pst_tensor& t) {
    int64_t expected = 1;
    for (int d = t.ndim - 1; d >= 0; --d) {
        if (t.sizes[d] != 1 && t.strides[d] != expected) return false;
        expected *= t.sizes[d];
    }
    return true;
}

}  // namespace pst

extern "C" {

const char* pst_get_error_string(pst_status status) {
    switch (status) {
        case PST_SUCCESS: return "success";
        case PST_ERROR_INVALID_ARGUMENT: return "invalid argument";
        case PST_ERROR_OUT_OF_MEMORY: return "out of memory";
        case PST_ERROR_NOT_SUPPORTED: return "not supported";
        case PST_ERROR_CUDA: return "CUDA error";
        case PST_ERROR_CUBLAS: return "cuBLAS error";
        case PST_ERROR_NO_DEVICE: return "no CUDA device";
        case PST_ERROR_DRIVER_TOO_OLD: return "the NVIDIA driver is older than the CUDA runtime this library was built with";
        default: return "unknown status";
    }
}

const char* pst_get_last_error_message(void) { return pst::last_error; }

pst_status pst_get_abi_version(int32_t* version) {
    PST_REQUIRE(version != nullptr, "pst_get_abi_version: version is NULL");
    *version = PST_ABI_VERSION;
    return PST_SUCCESS;
}

pst_status pst_get_driver_version(int32_t* version) {
    PST_REQUIRE(version != nullptr, "pst_get_driver_version: version is NULL");
    int v = 0;
    PST_CUDA_CHECK(cudaDriverGetVersion(&v));
    *version = v;
    return PST_SUCCESS;
}

pst_status pst_get_runtime_version(int32_t* version) {
    PST_REQUIRE(version != nullptr, "pst_get_runtime_version: version is NULL");
    int v = 0;
    PST_CUDA_CHECK(cudaRuntimeGetVersion(&v));
    *version = v;
    return PST_SUCCESS;
}

}  // extern "C"
