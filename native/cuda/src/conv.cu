// im2col / col2im for 2-d convolution as GEMMs (pst_gemm_strided_batched), and the per-channel sum behind the
// bias gradient. The caller handles groups by offsetting the pointers: one call covers one group of a whole batch.
// col2im gathers (a thread per input element sums the col entries read from it), so it needs no zero-fill and no
// atomics, and adds in (ki, kj) order like the CPU's Col2Im.
#include "nn.cuh"

namespace pst {
namespace {

template <typename T> struct Im2Col {
    T* col;
    const T* x;
    pst_conv2d_geometry g;
    int64_t per_image;  // channels * kernel taps * output plane
    int64_t x_batch, col_batch;
    __device__ void operator()(int64_t i) const {
        const int64_t b = i / per_image;
        int64_t r = i - b * per_image;
        const int64_t out_plane = static_cast<int64_t>(g.out_height) * g.out_width;
        const int64_t row = r / out_plane;  // (c, ki, kj)
        const int64_t pos = r - row * out_plane;
        const int oh = static_cast<int>(pos / g.out_width), ow = static_cast<int>(pos - static_cast<int64_t>(oh) * g.out_width);
        const int kj = static_cast<int>(row % g.kernel_width);
        const int ki = static_cast<int>((row / g.kernel_width) % g.kernel_height);
        const int64_t c = row / (static_cast<int64_t>(g.kernel_width) * g.kernel_height);
        const int ih = oh * g.stride_height - g.padding_height + ki * g.dilation_height;
        const int iw = ow * g.stride_width - g.padding_width + kj * g.dilation_width;
        T v = convert<T>(0.0f);
        if (ih >= 0 && ih < g.in_height && iw >= 0 && iw < g.in_width)
            v = x[b * x_batch + (c * g.in_height + ih) * g.in_width + iw];
        col[b * col_batch + r] = v;
    }
};

template <typename T> struct Col2Im {
    T* x;
    const T* col;
    pst_conv2d_geometry g;
    int64_t per_image;  // channels * input plane
    int64_t x_batch, col_batch;
    __device__ void operator()(int64_t i) const {
        using A = compute_t<T>;
        const int64_t b = i / per_image;
        const int64_t r = i - b * per_image;
        const int64_t in_plane = static_cast<int64_t>(g.in_height) * g.in_width;
        const int64_t c = r / in_plane;
        const int64_t at = r - c * in_plane;
        const int ih = static_cast<int>(at / g.in_width), iw = static_cast<int>(at - static_cast<int64_t>(ih) * g.in_width);
        const int64_t out_plane = static_cast<int64_t>(g.out_height) * g.out_width;
        const T* image = col + b * col_batch;
        A sum = A(0);
        for (int ki = 0; ki < g.kernel_height; ++ki) {
            const int th = ih + g.padding_height - ki * g.dilation_height;
            if (th < 0 || th % g.stride_height != 0) continue;
            const int oh = th / g.stride_height;
            if (oh >= g.out_height) continue;
            for (int kj = 0; kj < g.kernel_width; ++kj) {
                const int tw = iw + g.padding_width - kj * g.dilation_width;
                if (tw < 0 || tw % g.stride_width != 0) continue;
                const int ow = tw / g.stride_width;
                if (ow >= g.out_width) continue;
                const int64_t row = (c * g.kernel_height + ki) * g.kernel_width + kj;
                sum += convert<A>(image[row * out_plane + static_cast<int64_t>(oh) * g.out_width + ow]);
            }
        }
        x[b * x_batch + r] = convert<T>(sum);
    }
};

// One block per channel: threads stride over (image, plane position) pairs, each image's plane read coalesced.
template <typename T> __global__ void channel_sum_kernel(T* dst, const T* src, int64_t batch, int64_t channels, int64_t plane) {
    using A = acc_t<T>;
    __shared__ A shared[kWarp];
    for (int64_t c = blockIdx.x; c < channels; c += gridDim.x) {
        A sum = A(0);
        for (int64_t n = 0; n < batch; ++n) {
            const T* p = src + (n * channels + c) * plane;
            for (int64_t j = threadIdx.x; j < plane; j += blockDim.x) sum += convert<A>(p[j]);
        }
        sum = block_reduce(sum, [](A a, A b) { return a + b; }, A(0), shared);
        if (threadIdx.x == 0) dst[c] = convert<T>(sum);
    }
}

pst_status check_geometry(const pst_conv2d_geometry* g, int64_t batch, const char* what) {
    PST_REQUIRE(g != nullptr, "%s: geometry is NULL", what);
    PST_REQUIRE(batch >= 0 && g->channels >= 0 && g->in_height >= 0 && g->in_width >= 0 && g->out_height >= 0 && g->out_width >= 0,
                "%s: negative size", what);
    PST_REQUIRE(g->kernel_height > 0 && g->kernel_width > 0 && g->stride_height > 0 && g->stride_width > 0 && g->dilation_height > 0 &&
                    g->dilation_width > 0 && g->padding_height >= 0 && g->padding_width >= 0,
                "%s: kernel, stride and dilation must be positive and padding non-negative", what);
    return PST_SUCCESS;
}

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_im2col(pst_dtype dtype, void* col, const void* input, const pst_conv2d_geometry* geometry, int64_t batch, int64_t input_batch_stride,
                      int64_t col_batch_stride, void* stream) {
    PST_CHECK(check_geometry(geometry, batch, "pst_im2col"));
    const pst_conv2d_geometry g = *geometry;
    const int64_t per_image = static_cast<int64_t>(g.channels) * g.kernel_height * g.kernel_width * g.out_height * g.out_width;
    if (per_image * batch == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(col && input, "pst_im2col"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(per_image * batch,
                              Im2Col<T>{static_cast<T*>(col), static_cast<const T*>(input), g, per_image, input_batch_stride, col_batch_stride},
                              as_stream(stream));
    });
}

pst_status pst_col2im(pst_dtype dtype, void* input, const void* col, const pst_conv2d_geometry* geometry, int64_t batch, int64_t input_batch_stride,
                      int64_t col_batch_stride, void* stream) {
    PST_CHECK(check_geometry(geometry, batch, "pst_col2im"));
    const pst_conv2d_geometry g = *geometry;
    const int64_t per_image = static_cast<int64_t>(g.channels) * g.in_height * g.in_width;
    if (per_image * batch == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(col && input, "pst_col2im"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(per_image * batch,
                              Col2Im<T>{static_cast<T*>(input), static_cast<const T*>(col), g, per_image, input_batch_stride, col_batch_stride},
                              as_stream(stream));
    });
}

pst_status pst_channel_sum(pst_dtype dtype, void* dst, const void* src, int64_t batch, int64_t channels, int64_t plane, void* stream) {
    PST_REQUIRE(batch >= 0 && channels >= 0 && plane >= 0, "pst_channel_sum: negative size");
    if (channels == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(dst && (batch * plane == 0 || src), "pst_channel_sum"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const int threads = plane >= 512 ? 512 : plane >= 128 ? 256 : 128;
        channel_sum_kernel<T><<<static_cast<unsigned int>(std::min<int64_t>(channels, 65535)), threads, 0, as_stream(stream)>>>(
            static_cast<T*>(dst), static_cast<const T*>(src), batch, channels, plane);
        PST_LAUNCH_CHECK();
        return PST_SUCCESS;
    });
}

}  // extern "C"
