// Bandwidth of libpstorch_cuda's memory-bound kernels against the device's own device-to-device copy,
// timed with CUDA events (median of 50 runs after 5 warm-ups). Roofline: every kernel here moves the bytes
// printed beside it and does O(1) FLOPs per element, so GB/s over copy GB/s is its efficiency.
// Targets (issue 5): elementwise >= 85% of copy, reductions >= 80%, softmax rows >= 70%.
#include "pstorch_cuda.h"

#include <cuda_runtime.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#define CHECK(call)                                                                                  \
    do {                                                                                             \
        pst_status s_ = (call);                                                                      \
        if (s_ != PST_SUCCESS) {                                                                     \
            std::fprintf(stderr, "%s failed: %s\n", #call, pst_get_last_error_message());             \
            std::exit(1);                                                                            \
        }                                                                                            \
    } while (0)

static pst_tensor view(void* data, pst_dtype dtype, std::vector<int64_t> sizes) {
    pst_tensor t{};
    t.data = data;
    t.dtype = dtype;
    t.ndim = static_cast<int32_t>(sizes.size());
    int64_t stride = 1;
    for (int d = t.ndim - 1; d >= 0; --d) {
        t.sizes[d] = sizes[d];
        t.strides[d] = stride;
        stride *= sizes[d];
    }
    return t;
}

// Median milliseconds of fn over 50 timed runs.
static float time_ms(const std::function<void()>& fn) {
    void *start, *stop;
    CHECK(pst_event_create(&start));
    CHECK(pst_event_create(&stop));
    for (int i = 0; i < 5; ++i) fn();
    std::vector<float> ms;
    for (int i = 0; i < 50; ++i) {
        CHECK(pst_event_record(start, nullptr));
        fn();
        CHECK(pst_event_record(stop, nullptr));
        CHECK(pst_event_synchronize(stop));
        float t;
        CHECK(pst_event_elapsed_ms(start, stop, &t));
        ms.push_back(t);
    }
    std::sort(ms.begin(), ms.end());
    CHECK(pst_event_destroy(start));
    CHECK(pst_event_destroy(stop));
    return ms[ms.size() / 2];
}

static void report(const char* name, double bytes, float ms, double copy_gbps) {
    double gbps = bytes / (ms * 1e-3) / 1e9;
    if (copy_gbps > 0) std::printf("%-34s %9.3f ms %8.1f GB/s %6.1f%% of copy\n", name, ms, gbps, 100.0 * gbps / copy_gbps);
    else std::printf("%-34s %9.3f ms %8.1f GB/s\n", name, ms, gbps);
}

int main() {
    const int64_t n = 64LL << 20;  // 64M floats, 256 MiB per buffer
    pst_device_properties p;
    CHECK(pst_set_device(0));
    CHECK(pst_get_device_properties(0, &p));
    int runtime = 0, driver = 0;
    CHECK(pst_get_runtime_version(&runtime));
    CHECK(pst_get_driver_version(&driver));
    std::printf("device: %s (sm_%d%d), runtime %d, driver %d\n", reinterpret_cast<char*>(p.name), p.major, p.minor, runtime, driver);

    void *a, *b, *c;
    CHECK(pst_malloc_async(&a, n * 4, nullptr));
    CHECK(pst_malloc_async(&b, n * 4, nullptr));
    CHECK(pst_malloc_async(&c, n * 4, nullptr));
    pst_tensor ta = view(a, PST_FLOAT32, {n}), tb = view(b, PST_FLOAT32, {n}), tc = view(c, PST_FLOAT32, {n});
    CHECK(pst_fill_uniform(&ta, -1, 1, 1, 0, nullptr));
    CHECK(pst_fill_uniform(&tb, -1, 1, 2, 0, nullptr));

    const double copy_bytes = 2.0 * n * 4;
    float copy_ms = time_ms([&] { CHECK(pst_memcpy_async(c, a, n * 4, PST_MEMCPY_DEVICE_TO_DEVICE, nullptr)); });
    const double copy_gbps = copy_bytes / (copy_ms * 1e-3) / 1e9;
    report("device-to-device copy (reference)", copy_bytes, copy_ms, 0);

    report("add 64M float32 (read 2, write 1)", 3.0 * n * 4,
           time_ms([&] { CHECK(pst_binary(PST_BINARY_ADD, &tc, &ta, &tb, nullptr)); }), copy_gbps);
    report("exp 64M float32", 2.0 * n * 4, time_ms([&] { CHECK(pst_unary(PST_UNARY_EXP, &tc, &ta, nullptr)); }), copy_gbps);
    report("copy strided->contiguous 8192^2^T", 2.0 * n * 4, time_ms([&] {
               pst_tensor t = view(a, PST_FLOAT32, {8192, 8192});
               std::swap(t.strides[0], t.strides[1]);
               pst_tensor o = view(c, PST_FLOAT32, {8192, 8192});
               CHECK(pst_copy(&o, &t, nullptr));
           }), copy_gbps);

    pst_tensor scalar = view(c, PST_FLOAT32, {1});
    report("sum all 64M float32", 1.0 * n * 4, time_ms([&] { CHECK(pst_reduce(PST_REDUCE_SUM, &scalar, &ta, 1u, nullptr)); }), copy_gbps);
    pst_tensor rows = view(a, PST_FLOAT32, {65536, 1024}), row_out = view(c, PST_FLOAT32, {65536, 1});
    report("sum rows 65536x1024", 1.0 * n * 4, time_ms([&] { CHECK(pst_reduce(PST_REDUCE_SUM, &row_out, &rows, 2u, nullptr)); }), copy_gbps);
    pst_tensor col_out = view(c, PST_FLOAT32, {1, 1024});
    report("sum columns 65536x1024 (dim 0)", 1.0 * n * 4, time_ms([&] { CHECK(pst_reduce(PST_REDUCE_SUM, &col_out, &rows, 1u, nullptr)); }),
           copy_gbps);

    pst_tensor sm_out = view(c, PST_FLOAT32, {65536, 1024});
    report("softmax rows 65536x1024", 2.0 * n * 4, time_ms([&] { CHECK(pst_softmax(&sm_out, &rows, 1, 0, nullptr)); }), copy_gbps);
    pst_tensor long_rows = view(a, PST_FLOAT32, {1024, 65536}), long_out = view(c, PST_FLOAT32, {1024, 65536});
    report("softmax rows 1024x65536", 2.0 * n * 4, time_ms([&] { CHECK(pst_softmax(&long_out, &long_rows, 1, 0, nullptr)); }), copy_gbps);

    const int64_t m = 4096;
    report("sgemm 4096^3 (GB/s column = GFLOP/s)", 2.0 * m * m * m, time_ms([&] {
               CHECK(pst_gemm_strided_batched(PST_FLOAT32, 0, 0, m, m, m, 1.0, a, m, 0, b, m, 0, 0.0, c, m, 0, 1, nullptr));
           }), 0);

    CHECK(pst_free_async(a, n * 4, nullptr));
    CHECK(pst_free_async(b, n * 4, nullptr));
    CHECK(pst_free_async(c, n * 4, nullptr));
    CHECK(pst_device_synchronize());
    return 0;
}
