// Temporary device memory for the duration of one call (nonzero's tile sums, randperm's reservations): taken from
// the stream-ordered pool and given back, stream-ordered, when the scope ends, on every return path.
#pragma once

#include "common.cuh"

namespace pst {

class Scratch {
public:
    explicit Scratch(cudaStream_t stream) : stream_(stream) {}
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
        if (pointer_) cudaFreeAsync(pointer_, stream_);
    }

    // One allocation per Scratch; use with PST_CUDA_CHECK.
    cudaError_t allocate(size_t bytes) { return cudaMallocAsync(&pointer_, bytes, stream_); }

    template <typename T> T* as() const { return static_cast<T*>(pointer_); }

private:
    void* pointer_ = nullptr;
    cudaStream_t stream_;
};

}  // namespace pst
