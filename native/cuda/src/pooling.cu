// 2-d max, average and adaptive average and max pooling over contiguous planes, forward and backward, with the
// window rules of the CPU's PoolingKernels. Forward: a thread per output element. Backward: a thread per input
// element gathering from the windows that hold it, in row-major output order (deterministic, no atomics, no
// zero-fill pass), which is the order the CPU adds them in.
#include "nn.cuh"

namespace pst {
namespace {

// Input range [start, end) of window o along one dim and its size counting padding (PoolingKernels.Window).
struct Range {
    int start, end, padded;
};

__device__ __forceinline__ Range window(int o, int size, int kernel, int stride, int pad) {
    int start = o * stride - pad;
    int end = min(start + kernel, size + pad);
    return {max(start, 0), min(end, size), end - start};
}

__device__ __forceinline__ Range adaptive_window(int o, int size, int out_size) {
    int s = static_cast<int>(static_cast<int64_t>(o) * size / out_size);
    int e = static_cast<int>((static_cast<int64_t>(o + 1) * size + out_size - 1) / out_size);
    return {s, e, e - s};
}

// Element i of contiguous [planes, height, width] planes: its plane, its index within the plane, its row and column.
struct PlanePosition {
    int64_t plane, at;
    int h, w;
};

__device__ __forceinline__ PlanePosition locate(int64_t i, int height, int width) {
    const int64_t size = static_cast<int64_t>(height) * width;
    const int64_t plane = i / size, at = i - plane * size;
    const int h = static_cast<int>(at / width);
    return {plane, at, h, static_cast<int>(at - static_cast<int64_t>(h) * width)};
}

// PyTorch's max-pooling rule: a larger value or any NaN takes the place (with its index), and a NaN maximum stays NaN.
template <typename A> __device__ __forceinline__ void keep_max(A v, int64_t at, A& max, int64_t& best) {
    if (v > max || isnan(v)) {
        max = v;
        best = at;
    }
}

template <typename T> struct MaxPoolForward {
    T* y;
    int64_t* indices;
    const T* x;
    pst_pool2d_geometry g;
    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const PlanePosition o = locate(i, g.out_height, g.out_width);
        const int oh = o.h, ow = o.w;
        const T* plane = x + o.plane * g.in_height * static_cast<int64_t>(g.in_width);
        const int h_start = oh * g.stride_height - g.padding_height, w_start = ow * g.stride_width - g.padding_width;
        // first and one-past-last kernel taps inside the input
        const int ki_first = h_start >= 0 ? 0 : (-h_start + g.dilation_height - 1) / g.dilation_height;
        const int ki_end = min(g.kernel_height, (g.in_height - h_start + g.dilation_height - 1) / g.dilation_height);
        const int kj_first = w_start >= 0 ? 0 : (-w_start + g.dilation_width - 1) / g.dilation_width;
        const int kj_end = min(g.kernel_width, (g.in_width - w_start + g.dilation_width - 1) / g.dilation_width);
        int64_t best = static_cast<int64_t>(h_start + ki_first * g.dilation_height) * g.in_width + w_start + kj_first * g.dilation_width;
        A max = -static_cast<A>(INFINITY);
        for (int ki = ki_first; ki < ki_end; ++ki) {
            const int64_t row = static_cast<int64_t>(h_start + ki * g.dilation_height) * g.in_width + w_start;
            for (int kj = kj_first; kj < kj_end; ++kj) {
                const int64_t at = row + kj * g.dilation_width;
                keep_max(convert<A>(plane[at]), at, max, best);
            }
        }
        y[i] = convert<T>(max);
        indices[i] = best;
    }
};

// Every kernel tap (ki, kj) that could have read input element (ih, iw) names one output position; taps run from
// high to low so the outputs come in increasing (row-major) order, and an output counts when its index is (ih, iw).
template <typename T> struct MaxPoolBackward {
    T* gx;
    const T* gy;
    const int64_t* indices;
    pst_pool2d_geometry g;
    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const int64_t out_plane = static_cast<int64_t>(g.out_height) * g.out_width;
        const PlanePosition in = locate(i, g.in_height, g.in_width);
        const int ih = in.h, iw = in.w;
        const T* gyp = gy + in.plane * out_plane;
        const int64_t* ip = indices + in.plane * out_plane;
        A sum = A(0);
        for (int ki = g.kernel_height - 1; ki >= 0; --ki) {
            const int th = ih + g.padding_height - ki * g.dilation_height;
            if (th < 0 || th % g.stride_height != 0) continue;
            const int oh = th / g.stride_height;
            if (oh >= g.out_height) continue;
            for (int kj = g.kernel_width - 1; kj >= 0; --kj) {
                const int tw = iw + g.padding_width - kj * g.dilation_width;
                if (tw < 0 || tw % g.stride_width != 0) continue;
                const int ow = tw / g.stride_width;
                if (ow >= g.out_width) continue;
                const int64_t o = static_cast<int64_t>(oh) * g.out_width + ow;
                if (ip[o] == in.at) sum += convert<A>(gyp[o]);
            }
        }
        gx[i] = convert<T>(sum);
    }
};

// The divisor of window (oh, ow) of an average pooling.
__device__ __forceinline__ int64_t divisor_of(Range h, Range w, bool count_include_pad, int64_t divisor_override) {
    return divisor_override > 0 ? divisor_override
           : count_include_pad  ? static_cast<int64_t>(h.padded) * w.padded
                                : static_cast<int64_t>(h.end - h.start) * (w.end - w.start);
}

template <typename T> struct AvgPoolForward {
    T* y;
    const T* x;
    pst_pool2d_geometry g;
    bool adaptive, count_include_pad;
    int64_t divisor_override;
    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const PlanePosition o = locate(i, g.out_height, g.out_width);
        const int oh = o.h, ow = o.w;
        const Range h = adaptive ? adaptive_window(oh, g.in_height, g.out_height) : window(oh, g.in_height, g.kernel_height, g.stride_height, g.padding_height);
        const Range w = adaptive ? adaptive_window(ow, g.in_width, g.out_width) : window(ow, g.in_width, g.kernel_width, g.stride_width, g.padding_width);
        const T* plane = x + o.plane * g.in_height * static_cast<int64_t>(g.in_width);
        A sum = A(0);
        for (int a = h.start; a < h.end; ++a)
            for (int b = w.start; b < w.end; ++b) sum += convert<A>(plane[static_cast<int64_t>(a) * g.in_width + b]);
        const A scale = A(1) / static_cast<A>(divisor_of(h, w, count_include_pad, divisor_override));
        y[i] = convert<T>(sum * scale);
    }
};

template <typename T> struct AvgPoolBackward {
    T* gx;
    const T* gy;
    pst_pool2d_geometry g;
    bool adaptive, count_include_pad;
    int64_t divisor_override;

    // Output positions [first, end) along one dim whose window may hold input position at (checked exactly by the caller).
    __device__ __forceinline__ void candidates(int at, int size, int out_size, int kernel, int stride, int pad, int& first, int& end) const {
        if (adaptive) {
            first = max(0, static_cast<int>(static_cast<int64_t>(at) * out_size / size) - 1);
            end = min(out_size, static_cast<int>((static_cast<int64_t>(at + 1) * out_size + size - 1) / size) + 1);
        } else {
            // o * stride - pad <= at < o * stride - pad + kernel
            const int lo = at + pad - kernel + 1;
            first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
            end = min(out_size, (at + pad) / stride + 1);
        }
    }

    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const int64_t out_plane = static_cast<int64_t>(g.out_height) * g.out_width;
        const PlanePosition in = locate(i, g.in_height, g.in_width);
        const int ih = in.h, iw = in.w;
        const T* gyp = gy + in.plane * out_plane;
        int oh_first, oh_end, ow_first, ow_end;
        candidates(ih, g.in_height, g.out_height, g.kernel_height, g.stride_height, g.padding_height, oh_first, oh_end);
        candidates(iw, g.in_width, g.out_width, g.kernel_width, g.stride_width, g.padding_width, ow_first, ow_end);
        A sum = A(0);
        for (int oh = oh_first; oh < oh_end; ++oh) {
            const Range h = adaptive ? adaptive_window(oh, g.in_height, g.out_height) : window(oh, g.in_height, g.kernel_height, g.stride_height, g.padding_height);
            if (ih < h.start || ih >= h.end) continue;
            for (int ow = ow_first; ow < ow_end; ++ow) {
                const Range w = adaptive ? adaptive_window(ow, g.in_width, g.out_width) : window(ow, g.in_width, g.kernel_width, g.stride_width, g.padding_width);
                if (iw < w.start || iw >= w.end) continue;
                // the CPU's share: gradient * (1 / divisor), rounded to T, then added
                const A scale = A(1) / static_cast<A>(divisor_of(h, w, count_include_pad, divisor_override));
                sum += convert<A>(gyp[static_cast<int64_t>(oh) * g.out_width + ow]) * scale;
            }
        }
        gx[i] = convert<T>(sum);
    }
};

template <typename T> struct AdaptiveMaxPoolForward {
    T* y;
    int64_t* indices;
    const T* x;
    pst_pool2d_geometry g;
    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const PlanePosition o = locate(i, g.out_height, g.out_width);
        const Range h = adaptive_window(o.h, g.in_height, g.out_height), w = adaptive_window(o.w, g.in_width, g.out_width);
        const T* plane = x + o.plane * g.in_height * static_cast<int64_t>(g.in_width);
        int64_t best = static_cast<int64_t>(h.start) * g.in_width + w.start;
        A max = -static_cast<A>(INFINITY);
        for (int a = h.start; a < h.end; ++a)
            for (int b = w.start; b < w.end; ++b) {
                const int64_t at = static_cast<int64_t>(a) * g.in_width + b;
                keep_max(convert<A>(plane[at]), at, max, best);
            }
        y[i] = convert<T>(max);
        indices[i] = best;
    }
};

// Gathers, for each input element, the gradients of the outputs whose window holds it and whose index is it, in
// row-major output order (the CPU's scatter order).
template <typename T> struct AdaptiveMaxPoolBackward {
    T* gx;
    const T* gy;
    const int64_t* indices;
    pst_pool2d_geometry g;

    // Output positions [first, end) along one dim whose window may hold input position at (checked exactly by the caller).
    __device__ __forceinline__ static void candidates(int at, int size, int out_size, int& first, int& end) {
        first = max(0, static_cast<int>(static_cast<int64_t>(at) * out_size / size) - 1);
        end = min(out_size, static_cast<int>((static_cast<int64_t>(at + 1) * out_size + size - 1) / size) + 1);
    }

    __device__ void operator()(int64_t i) const {
        using A = acc_t<T>;
        const int64_t out_plane = static_cast<int64_t>(g.out_height) * g.out_width;
        const PlanePosition in = locate(i, g.in_height, g.in_width);
        const T* gyp = gy + in.plane * out_plane;
        const int64_t* ip = indices + in.plane * out_plane;
        int oh_first, oh_end, ow_first, ow_end;
        candidates(in.h, g.in_height, g.out_height, oh_first, oh_end);
        candidates(in.w, g.in_width, g.out_width, ow_first, ow_end);
        A sum = A(0);
        for (int oh = oh_first; oh < oh_end; ++oh) {
            const Range h = adaptive_window(oh, g.in_height, g.out_height);
            if (in.h < h.start || in.h >= h.end) continue;
            for (int ow = ow_first; ow < ow_end; ++ow) {
                const Range w = adaptive_window(ow, g.in_width, g.out_width);
                if (in.w < w.start || in.w >= w.end) continue;
                const int64_t o = static_cast<int64_t>(oh) * g.out_width + ow;
                if (ip[o] == in.at) sum += convert<A>(gyp[o]);
            }
        }
        gx[i] = convert<T>(sum);
    }
};

pst_status check_geometry(const pst_pool2d_geometry* g, bool adaptive, const char* what) {
    PST_REQUIRE(g != nullptr, "%s: geometry is NULL", what);
    PST_REQUIRE(g->planes >= 0 && g->in_height >= 0 && g->in_width >= 0 && g->out_height >= 0 && g->out_width >= 0,
                "%s: negative size in the geometry", what);
    if (!adaptive)
        PST_REQUIRE(g->kernel_height > 0 && g->kernel_width > 0 && g->stride_height > 0 && g->stride_width > 0 && g->dilation_height > 0 &&
                        g->dilation_width > 0 && g->padding_height >= 0 && g->padding_width >= 0,
                    "%s: kernel, stride and dilation must be positive and padding non-negative", what);
    // adaptive pooling allows an empty output (PyTorch's output_size 0): its backward then writes zeros
    return PST_SUCCESS;
}

int64_t outputs(const pst_pool2d_geometry& g) { return g.planes * g.out_height * g.out_width; }
int64_t inputs(const pst_pool2d_geometry& g) { return g.planes * g.in_height * g.in_width; }

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_max_pool2d(pst_dtype dtype, void* output, int64_t* indices, const void* input, const pst_pool2d_geometry* geometry, void* stream) {
    PST_CHECK(check_geometry(geometry, false, "pst_max_pool2d"));
    const pst_pool2d_geometry g = *geometry;
    if (outputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && indices && input, "pst_max_pool2d"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(outputs(g), MaxPoolForward<T>{static_cast<T*>(output), indices, static_cast<const T*>(input), g}, as_stream(stream));
    });
}

pst_status pst_max_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* indices, const pst_pool2d_geometry* geometry,
                                   void* stream) {
    PST_CHECK(check_geometry(geometry, false, "pst_max_pool2d_backward"));
    const pst_pool2d_geometry g = *geometry;
    if (inputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && (outputs(g) == 0 || (grad_output && indices)), "pst_max_pool2d_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(inputs(g), MaxPoolBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), indices, g}, as_stream(stream));
    });
}

pst_status pst_avg_pool2d(pst_dtype dtype, void* output, const void* input, const pst_pool2d_geometry* geometry, int32_t count_include_pad,
                          int64_t divisor_override, void* stream) {
    PST_CHECK(check_geometry(geometry, false, "pst_avg_pool2d"));
    const pst_pool2d_geometry g = *geometry;
    if (outputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && input, "pst_avg_pool2d"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(outputs(g), AvgPoolForward<T>{static_cast<T*>(output), static_cast<const T*>(input), g, false, count_include_pad != 0, divisor_override},
                              as_stream(stream));
    });
}

pst_status pst_avg_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const pst_pool2d_geometry* geometry, int32_t count_include_pad,
                                   int64_t divisor_override, void* stream) {
    PST_CHECK(check_geometry(geometry, false, "pst_avg_pool2d_backward"));
    const pst_pool2d_geometry g = *geometry;
    if (inputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && (outputs(g) == 0 || grad_output), "pst_avg_pool2d_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(inputs(g),
                              AvgPoolBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), g, false, count_include_pad != 0, divisor_override},
                              as_stream(stream));
    });
}

pst_status pst_adaptive_avg_pool2d(pst_dtype dtype, void* output, const void* input, const pst_pool2d_geometry* geometry, void* stream) {
    PST_CHECK(check_geometry(geometry, true, "pst_adaptive_avg_pool2d"));
    const pst_pool2d_geometry g = *geometry;
    if (outputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && input, "pst_adaptive_avg_pool2d"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(outputs(g), AvgPoolForward<T>{static_cast<T*>(output), static_cast<const T*>(input), g, true, false, 0}, as_stream(stream));
    });
}

pst_status pst_adaptive_avg_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const pst_pool2d_geometry* geometry, void* stream) {
    PST_CHECK(check_geometry(geometry, true, "pst_adaptive_avg_pool2d_backward"));
    const pst_pool2d_geometry g = *geometry;
    if (inputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && (outputs(g) == 0 || grad_output), "pst_adaptive_avg_pool2d_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(inputs(g), AvgPoolBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), g, true, false, 0},
                              as_stream(stream));
    });
}

pst_status pst_adaptive_max_pool2d(pst_dtype dtype, void* output, int64_t* indices, const void* input, const pst_pool2d_geometry* geometry, void* stream) {
    PST_CHECK(check_geometry(geometry, true, "pst_adaptive_max_pool2d"));
    const pst_pool2d_geometry g = *geometry;
    if (outputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(output && indices && input, "pst_adaptive_max_pool2d"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(outputs(g), AdaptiveMaxPoolForward<T>{static_cast<T*>(output), indices, static_cast<const T*>(input), g}, as_stream(stream));
    });
}

pst_status pst_adaptive_max_pool2d_backward(pst_dtype dtype, void* grad_input, const void* grad_output, const int64_t* indices,
                                            const pst_pool2d_geometry* geometry, void* stream) {
    PST_CHECK(check_geometry(geometry, true, "pst_adaptive_max_pool2d_backward"));
    const pst_pool2d_geometry g = *geometry;
    if (inputs(g) == 0) return PST_SUCCESS;
    PST_CHECK(require_pointers(grad_input && (outputs(g) == 0 || (grad_output && indices)), "pst_adaptive_max_pool2d_backward"));
    return visit_floating(dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_index(inputs(g), AdaptiveMaxPoolBackward<T>{static_cast<T*>(grad_input), static_cast<const T*>(grad_output), indices, g},
                              as_stream(stream));
    });
}

}  // extern "C"
