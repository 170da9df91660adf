// Devices, streams, events and memory: the stream-ordered pool with statistics, pinned host memory, copies.
#include "common.cuh"

#include <atomic>
#include <cstring>
#include <mutex>

namespace pst {
namespace {

constexpr int kMaxDevices = 64;

struct DeviceMemory {
    std::atomic<int64_t> allocated{0};
    std::atomic<int64_t> max_allocated{0};
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> retries{0};
    std::once_flag pool_ready;
    bool has_pool = false;
};

DeviceMemory memory[kMaxDevices];

pst_status check_device(int32_t device) {
    int count = 0;
    PST_CUDA_CHECK(cudaGetDeviceCount(&count));
    PST_REQUIRE(device >= 0 && device < count && device < kMaxDevices,
                "device %d does not exist (%d CUDA device%s visible)", device, count, count == 1 ? "" : "s");
    return PST_SUCCESS;
}

// The first allocation on a device makes its default pool keep freed memory cached (as PyTorch's caching
// allocator does); pst_memory_set_release_threshold or pst_empty_cache give it back.
void prepare_pool(int device) {
    std::call_once(memory[device].pool_ready, [device] {
        int supported = 0;
        if (cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, device) != cudaSuccess || !supported) {
            cudaGetLastError();
            return;
        }
        cudaMemPool_t pool;
        if (cudaDeviceGetDefaultMemPool(&pool, device) != cudaSuccess) { cudaGetLastError(); return; }
        uint64_t keep_all = UINT64_MAX;
        cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep_all);
        memory[device].has_pool = true;
    });
}

void count_allocation(int device, int64_t bytes) {
    DeviceMemory& m = memory[device];
    int64_t now = m.allocated.fetch_add(bytes) + bytes;
    int64_t peak = m.max_allocated.load();
    while (now > peak && !m.max_allocated.compare_exchange_weak(peak, now)) {}
    m.count.fetch_add(1);
}

pst_status out_of_memory(int device, uint64_t bytes) {
    size_t free_bytes = 0, total_bytes = 0;
    cudaMemGetInfo(&free_bytes, &total_bytes);
    cudaGetLastError();
    const double mib = 1024.0 * 1024.0;
    PST_FAIL(PST_ERROR_OUT_OF_MEMORY,
             "CUDA out of memory. Tried to allocate %.2f MiB (GPU %d; %.2f MiB free of %.2f MiB total; %.2f MiB allocated by PSTorch)",
             bytes / mib, device, free_bytes / mib, total_bytes / mib, memory[device].allocated.load() / mib);
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_get_device_count(int32_t* count) {
    PST_REQUIRE(count != nullptr, "pst_get_device_count: count is NULL");
    int n = 0;
    cudaError_t error = cudaGetDeviceCount(&n);
    if (error == cudaErrorNoDevice) { cudaGetLastError(); *count = 0; return PST_SUCCESS; }
    PST_CUDA_CHECK(error);
    *count = n;
    return PST_SUCCESS;
}

pst_status pst_get_device_properties(int32_t device, pst_device_properties* properties) {
    PST_REQUIRE(properties != nullptr, "pst_get_device_properties: properties is NULL");
    PST_CHECK(check_device(device));
    cudaDeviceProp p;
    PST_CUDA_CHECK(cudaGetDeviceProperties(&p, device));
    std::memset(properties, 0, sizeof *properties);
    std::strncpy(reinterpret_cast<char*>(properties->name), p.name, PST_DEVICE_NAME_LENGTH - 1);
    properties->total_memory = static_cast<int64_t>(p.totalGlobalMem);
    properties->major = p.major;
    properties->minor = p.minor;
    properties->multiprocessor_count = p.multiProcessorCount;
    properties->max_threads_per_block = p.maxThreadsPerBlock;
    properties->warp_size = p.warpSize;
    properties->l2_cache_bytes = p.l2CacheSize;
    properties->memory_bus_width_bits = p.memoryBusWidth;
    properties->memory_clock_khz = p.memoryClockRate;
    properties->pci_bus_id = p.pciBusID;
    properties->pci_device_id = p.pciDeviceID;
    return PST_SUCCESS;
}

pst_status pst_set_device(int32_t device) {
    PST_CHECK(check_device(device));
    PST_CUDA_CHECK(cudaSetDevice(device));
    return PST_SUCCESS;
}

pst_status pst_get_device(int32_t* device) {
    PST_REQUIRE(device != nullptr, "pst_get_device: device is NULL");
    int d = 0;
    PST_CUDA_CHECK(cudaGetDevice(&d));
    *device = d;
    return PST_SUCCESS;
}

pst_status pst_device_synchronize(void) {
    PST_CUDA_CHECK(cudaDeviceSynchronize());
    return PST_SUCCESS;
}

pst_status pst_mem_get_info(int32_t device, uint64_t* free_bytes, uint64_t* total_bytes) {
    PST_REQUIRE(free_bytes != nullptr && total_bytes != nullptr, "pst_mem_get_info: an output pointer is NULL");
    PST_CHECK(check_device(device));
    int current = 0;
    PST_CUDA_CHECK(cudaGetDevice(&current));
    PST_CUDA_CHECK(cudaSetDevice(device));
    size_t f = 0, t = 0;
    cudaError_t error = cudaMemGetInfo(&f, &t);
    cudaSetDevice(current);
    PST_CUDA_CHECK(error);
    *free_bytes = f;
    *total_bytes = t;
    return PST_SUCCESS;
}

pst_status pst_stream_create(void** stream) {
    PST_REQUIRE(stream != nullptr, "pst_stream_create: stream is NULL");
    cudaStream_t s;
    PST_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    *stream = s;
    return PST_SUCCESS;
}

pst_status pst_stream_destroy(void* stream) {
    PST_CUDA_CHECK(cudaStreamDestroy(as_stream(stream)));
    return PST_SUCCESS;
}

pst_status pst_stream_synchronize(void* stream) {
    PST_CUDA_CHECK(cudaStreamSynchronize(as_stream(stream)));
    return PST_SUCCESS;
}

pst_status pst_stream_wait_event(void* stream, void* event) {
    PST_REQUIRE(event != nullptr, "pst_stream_wait_event: event is NULL");
    PST_CUDA_CHECK(cudaStreamWaitEvent(as_stream(stream), static_cast<cudaEvent_t>(event), 0));
    return PST_SUCCESS;
}

pst_status pst_event_create(void** event) {
    PST_REQUIRE(event != nullptr, "pst_event_create: event is NULL");
    cudaEvent_t e;
    PST_CUDA_CHECK(cudaEventCreate(&e));
    *event = e;
    return PST_SUCCESS;
}

pst_status pst_event_destroy(void* event) {
    PST_CUDA_CHECK(cudaEventDestroy(static_cast<cudaEvent_t>(event)));
    return PST_SUCCESS;
}

pst_status pst_event_record(void* event, void* stream) {
    PST_REQUIRE(event != nullptr, "pst_event_record: event is NULL");
    PST_CUDA_CHECK(cudaEventRecord(static_cast<cudaEvent_t>(event), as_stream(stream)));
    return PST_SUCCESS;
}

pst_status pst_event_synchronize(void* event) {
    PST_REQUIRE(event != nullptr, "pst_event_synchronize: event is NULL");
    PST_CUDA_CHECK(cudaEventSynchronize(static_cast<cudaEvent_t>(event)));
    return PST_SUCCESS;
}

pst_status pst_event_elapsed_ms(void* start, void* end, float* milliseconds) {
    PST_REQUIRE(start != nullptr && end != nullptr && milliseconds != nullptr, "pst_event_elapsed_ms: a pointer is NULL");
    PST_CUDA_CHECK(cudaEventElapsedTime(milliseconds, static_cast<cudaEvent_t>(start), static_cast<cudaEvent_t>(end)));
    return PST_SUCCESS;
}

pst_status pst_memory_set_release_threshold(int32_t device, uint64_t bytes) {
    PST_CHECK(check_device(device));
    prepare_pool(device);
    PST_REQUIRE(memory[device].has_pool, "device %d has no stream-ordered memory pool", device);
    cudaMemPool_t pool;
    PST_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
    PST_CUDA_CHECK(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &bytes));
    return PST_SUCCESS;
}

pst_status pst_malloc_async(void** pointer, uint64_t bytes, void* stream) {
    PST_REQUIRE(pointer != nullptr, "pst_malloc_async: pointer is NULL");
    *pointer = nullptr;
    if (bytes == 0) return PST_SUCCESS;
    int device = 0;
    PST_CUDA_CHECK(cudaGetDevice(&device));
    PST_REQUIRE(device < kMaxDevices, "device %d is beyond the %d devices PSTorch tracks", device, kMaxDevices);
    prepare_pool(device);
    const bool pooled = memory[device].has_pool;
    auto allocate = [&] { return pooled ? cudaMallocAsync(pointer, bytes, as_stream(stream)) : cudaMalloc(pointer, bytes); };
    cudaError_t error = allocate();
    if (error == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        // Frees still queued on streams return their blocks once the device is idle; then the pool's
        // cached blocks go back to the driver, which may now satisfy the request.
        PST_CUDA_CHECK(cudaDeviceSynchronize());
        if (pooled) {
            cudaMemPool_t pool;
            PST_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
            PST_CUDA_CHECK(cudaMemPoolTrimTo(pool, 0));
        }
        memory[device].retries.fetch_add(1);
        error = allocate();
        if (error == cudaErrorMemoryAllocation) {
            cudaGetLastError();
            *pointer = nullptr;
            return out_of_memory(device, bytes);
        }
    }
    PST_CUDA_CHECK(error);
    count_allocation(device, static_cast<int64_t>(bytes));
    return PST_SUCCESS;
}

pst_status pst_free_async(void* pointer, uint64_t bytes, void* stream) {
    if (pointer == nullptr) return PST_SUCCESS;
    cudaPointerAttributes attributes;
    PST_CUDA_CHECK(cudaPointerGetAttributes(&attributes, pointer));
    int device = attributes.device;
    PST_REQUIRE(device >= 0 && device < kMaxDevices, "pst_free_async: %p is not device memory", pointer);
    if (memory[device].has_pool) PST_CUDA_CHECK(cudaFreeAsync(pointer, as_stream(stream)));
    else PST_CUDA_CHECK(cudaFree(pointer));
    memory[device].allocated.fetch_sub(static_cast<int64_t>(bytes));
    memory[device].count.fetch_sub(1);
    return PST_SUCCESS;
}

pst_status pst_memory_stats_get(int32_t device, pst_memory_stats* stats) {
    PST_REQUIRE(stats != nullptr, "pst_memory_stats_get: stats is NULL");
    PST_CHECK(check_device(device));
    const DeviceMemory& m = memory[device];
    stats->allocated_bytes = m.allocated.load();
    stats->max_allocated_bytes = m.max_allocated.load();
    stats->allocation_count = m.count.load();
    stats->retry_count = m.retries.load();
    stats->reserved_bytes = 0;
    stats->max_reserved_bytes = 0;
    if (m.has_pool) {
        cudaMemPool_t pool;
        PST_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
        uint64_t reserved = 0, high = 0;
        PST_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReservedMemCurrent, &reserved));
        PST_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReservedMemHigh, &high));
        stats->reserved_bytes = static_cast<int64_t>(reserved);
        stats->max_reserved_bytes = static_cast<int64_t>(high);
    }
    return PST_SUCCESS;
}

pst_status pst_memory_reset_peak(int32_t device) {
    PST_CHECK(check_device(device));
    DeviceMemory& m = memory[device];
    m.max_allocated.store(m.allocated.load());
    if (m.has_pool) {
        cudaMemPool_t pool;
        PST_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
        uint64_t zero = 0;  // the driver restarts the high-water mark from the current value
        PST_CUDA_CHECK(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReservedMemHigh, &zero));
    }
    return PST_SUCCESS;
}

pst_status pst_empty_cache(int32_t device) {
    PST_CHECK(check_device(device));
    if (!memory[device].has_pool) return PST_SUCCESS;
    int current = 0;
    PST_CUDA_CHECK(cudaGetDevice(&current));
    PST_CUDA_CHECK(cudaSetDevice(device));
    cudaError_t error = cudaDeviceSynchronize();
    cudaSetDevice(current);
    PST_CUDA_CHECK(error);
    cudaMemPool_t pool;
    PST_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
    PST_CUDA_CHECK(cudaMemPoolTrimTo(pool, 0));
    return PST_SUCCESS;
}

pst_status pst_host_alloc_pinned(void** pointer, uint64_t bytes) {
    PST_REQUIRE(pointer != nullptr, "pst_host_alloc_pinned: pointer is NULL");
    *pointer = nullptr;
    if (bytes == 0) return PST_SUCCESS;
    PST_CUDA_CHECK(cudaHostAlloc(pointer, bytes, cudaHostAllocPortable));
    return PST_SUCCESS;
}

pst_status pst_host_free_pinned(void* pointer) {
    if (pointer == nullptr) return PST_SUCCESS;
    PST_CUDA_CHECK(cudaFreeHost(pointer));
    return PST_SUCCESS;
}

pst_status pst_memcpy_async(void* dst, const void* src, uint64_t bytes, pst_memcpy_kind kind, void* stream) {
    if (bytes == 0) return PST_SUCCESS;
    PST_REQUIRE(dst != nullptr && src != nullptr, "pst_memcpy_async: a pointer is NULL");
    cudaMemcpyKind k;
    switch (kind) {
        case PST_MEMCPY_HOST_TO_DEVICE: k = cudaMemcpyHostToDevice; break;
        case PST_MEMCPY_DEVICE_TO_HOST: k = cudaMemcpyDeviceToHost; break;
        case PST_MEMCPY_DEVICE_TO_DEVICE: k = cudaMemcpyDeviceToDevice; break;
        case PST_MEMCPY_DEFAULT: k = cudaMemcpyDefault; break;
        default: PST_FAIL(PST_ERROR_INVALID_ARGUMENT, "pst_memcpy_async: unknown copy kind %d", static_cast<int>(kind));
    }
    PST_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, k, as_stream(stream)));
    return PST_SUCCESS;
}

pst_status pst_memset_async(void* dst, int32_t byte_value, uint64_t bytes, void* stream) {
    if (bytes == 0) return PST_SUCCESS;
    PST_REQUIRE(dst != nullptr, "pst_memset_async: dst is NULL");
    PST_CUDA_CHECK(cudaMemsetAsync(dst, byte_value, bytes, as_stream(stream)));
    return PST_SUCCESS;
}

}  // extern "C"
