// Unary, binary, where and clamp on strided/broadcast operands. One templated kernel per shape of op
// (unary, binary, comparison, where, clamp) and dtype, driven by the op code: the code is the same for every
// thread, so the switch costs a few instructions per element of a memory-bound loop and keeps the library
// small. Contiguous float32 takes a 128-bit vectorised path with the op fixed at compile time.
#include "loops.cuh"

namespace pst {
namespace {

template <typename T> __device__ __forceinline__ bool is_nan(T x) {
    if constexpr (std::is_floating_point<T>::value) return isnan(x);
    else return false;
}

// ---- unary functors (C: the compute type) ----

struct Neg { template <typename C> __device__ C operator()(C x) const { return -x; } };
template <typename C> constexpr bool never_negative_v = std::is_unsigned<C>::value;  // bool included
// Floating point: fabs, so abs(-0.0) is +0.0 (the CPU's T.Abs, IEEE's abs); x < 0 would keep -0.0.
struct Abs {
    template <typename C> __device__ C operator()(C x) const {
        if constexpr (never_negative_v<C>) return x;
        else if constexpr (std::is_floating_point<C>::value) return fabs(x);
        else return x < C(0) ? C(-x) : x;
    }
};
// NaN stays NaN (x < 0 is false), as torch.relu.
struct Relu {
    template <typename C> __device__ C operator()(C x) const {
        if constexpr (never_negative_v<C>) return x;
        else return x < C(0) ? C(0) : x;
    }
};
// PyTorch's sign, as the CPU's SignFunction: (0 < x) - (x < 0), so NaN gives 0 and -0.0 gives +0.0.
struct Sign {
    template <typename C> __device__ C operator()(C x) const {
        if constexpr (never_negative_v<C>) return C(C(0) < x);
        else return C(0) < x ? C(1) : x < C(0) ? C(-1) : C(0);
    }
};
struct LogicalNot { template <typename C> __device__ C operator()(C x) const { return C(!(x != C(0))); } };
struct Square { template <typename C> __device__ C operator()(C x) const { return x * x; } };
struct Exp { template <typename C> __device__ C operator()(C x) const { return exp(x); } };
struct Log { template <typename C> __device__ C operator()(C x) const { return log(x); } };
struct Sqrt { template <typename C> __device__ C operator()(C x) const { return sqrt(x); } };
struct Rsqrt { template <typename C> __device__ C operator()(C x) const { return rsqrt(x); } };
struct Sin { template <typename C> __device__ C operator()(C x) const { return sin(x); } };
struct Cos { template <typename C> __device__ C operator()(C x) const { return cos(x); } };
struct Tan { template <typename C> __device__ C operator()(C x) const { return tan(x); } };
struct Tanh { template <typename C> __device__ C operator()(C x) const { return tanh(x); } };
struct Sigmoid { template <typename C> __device__ C operator()(C x) const { return C(1) / (C(1) + exp(-x)); } };
struct Reciprocal { template <typename C> __device__ C operator()(C x) const { return C(1) / x; } };
struct Expm1 { template <typename C> __device__ C operator()(C x) const { return expm1(x); } };
struct Log1p { template <typename C> __device__ C operator()(C x) const { return log1p(x); } };
struct Log2 { template <typename C> __device__ C operator()(C x) const { return log2(x); } };
struct Floor { template <typename C> __device__ C operator()(C x) const { return floor(x); } };
struct Ceil { template <typename C> __device__ C operator()(C x) const { return ceil(x); } };
// Halves to even, as torch.round.
struct Round { template <typename C> __device__ C operator()(C x) const { return rint(x); } };
struct Trunc { template <typename C> __device__ C operator()(C x) const { return trunc(x); } };
struct Erf { template <typename C> __device__ C operator()(C x) const { return erf(x); } };
struct Log10 { template <typename C> __device__ C operator()(C x) const { return log10(x); } };
struct Exp2 { template <typename C> __device__ C operator()(C x) const { return exp2(x); } };
struct Asin { template <typename C> __device__ C operator()(C x) const { return asin(x); } };
struct Acos { template <typename C> __device__ C operator()(C x) const { return acos(x); } };
struct Atan { template <typename C> __device__ C operator()(C x) const { return atan(x); } };
struct Sinh { template <typename C> __device__ C operator()(C x) const { return sinh(x); } };
struct Cosh { template <typename C> __device__ C operator()(C x) const { return cosh(x); } };
struct Asinh { template <typename C> __device__ C operator()(C x) const { return asinh(x); } };
struct Acosh { template <typename C> __device__ C operator()(C x) const { return acosh(x); } };
struct Atanh { template <typename C> __device__ C operator()(C x) const { return atanh(x); } };
struct Erfc { template <typename C> __device__ C operator()(C x) const { return erfc(x); } };
struct Erfinv { template <typename C> __device__ C operator()(C x) const { return erfinv(x); } };
// In double for every dtype, as the CPU's SincFunction: in float, pi and pi * x round, and sin(pi x) near a nonzero integer
// x keeps few of its digits (relative errors of 1e-4 near integers, and ~1e-8 instead of ~1e-17 at them).
struct Sinc {
    template <typename C> __device__ C operator()(C x) const {
        const double v = static_cast<double>(x);
        if (v == 0.0) return C(1);
        const double pi_x = 3.14159265358979323846 * v;
        return static_cast<C>(sin(pi_x) / pi_x);
    }
};
// The factor rounded to C first, as PyTorch's multiplication by a scalar.
struct Deg2rad { template <typename C> __device__ C operator()(C x) const { return x * C(0.017453292519943295769); } };
struct Rad2deg { template <typename C> __device__ C operator()(C x) const { return x * C(57.295779513082320877); } };
struct Frac { template <typename C> __device__ C operator()(C x) const { return x - trunc(x); } };
struct Silu { template <typename C> __device__ C operator()(C x) const { return x / (C(1) + exp(-x)); } };
// The exact (erf) GELU, torch.nn.functional.gelu's default.
struct Gelu {
    template <typename C> __device__ C operator()(C x) const { return C(0.5) * x * (C(1) + erf(x * C(0.70710678118654752440))); }
};

// ---- binary functors ----

struct Add { template <typename C> __device__ C operator()(C a, C b) const { return a + b; } };
struct Sub { template <typename C> __device__ C operator()(C a, C b) const { return a - b; } };
struct Mul { template <typename C> __device__ C operator()(C a, C b) const { return a * b; } };
// Integer division by zero gives 0 instead of an undefined result.
struct Div {
    template <typename C> __device__ C operator()(C a, C b) const {
        if constexpr (std::is_floating_point<C>::value) return a / b;
        else return b == C(0) ? C(0) : C(a / b);
    }
};
// Integer power by squaring; negative exponents follow integer division (0 except for |base| = 1), as the CPU.
struct Pow {
    template <typename C> __device__ C operator()(C a, C b) const {
        if constexpr (std::is_floating_point<C>::value) return pow(a, b);
        else if constexpr (std::is_same<C, bool>::value) return a || !b;
        else {
            if constexpr (!never_negative_v<C>) {
                if (b < C(0)) return a == C(1) ? C(1) : a == C(-1) ? ((b & C(1)) == C(0) ? C(1) : C(-1)) : C(0);
            }
            C r = C(1);
            while (b != C(0)) {
                if (b & C(1)) r = C(r * a);
                a = C(a * a);
                b = C(b >> 1);
            }
            return r;
        }
    }
};
// Rounding divisions and remainders. Floats follow PyTorch's kernels (floor division through fmod, as
// c10::div_floor_floating; remainder is fmod moved into the divisor's sign). Integers: division by zero gives 0 rather
// than raising (a kernel cannot; the CPU raises ZeroDivisionError), and MIN / -1 wraps to MIN with remainder 0.
template <typename C> __device__ __forceinline__ C wrapping_neg(C a) {
    using U = typename std::make_unsigned<C>::type;
    return C(U(0) - U(a));
}
struct DivFloor {
    template <typename C> __device__ C operator()(C a, C b) const {
        if constexpr (std::is_floating_point<C>::value) {
            if (b == C(0)) return a / b;
            C mod = fmod(a, b);
            C div = (a - mod) / b;
            if (mod != C(0) && (b < C(0)) != (mod < C(0))) div -= C(1);
            if (div == C(0)) return copysign(C(0), a / b);
            C down = floor(div);
            return div - down > C(0.5) ? down + C(1) : down;
        } else {
            if (b == C(0)) return C(0);
            if constexpr (std::is_signed<C>::value) {
                if (b == C(-1)) return wrapping_neg(a);
                C q = C(a / b);
                return (a < C(0)) != (b < C(0)) && C(a % b) != C(0) ? C(q - C(1)) : q;
            } else return C(a / b);
        }
    }
};
struct DivTrunc {
    template <typename C> __device__ C operator()(C a, C b) const {
        if constexpr (std::is_floating_point<C>::value) return trunc(a / b);
        else {
            if (b == C(0)) return C(0);
            if constexpr (std::is_signed<C>::value) {
                if (b == C(-1)) return wrapping_neg(a);
            }
            return C(a / b);
        }
    }
};
struct Fmod {
    template <typename C> __device__ C operator()(C a, C b) const {
        if constexpr (std::is_floating_point<C>::value) return fmod(a, b);
        else {
            if (b == C(0)) return C(0);
            if constexpr (std::is_signed<C>::value) {
                if (b == C(-1)) return C(0);
            }
            return C(a % b);
        }
    }
};
struct Remainder {
    template <typename C> __device__ C operator()(C a, C b) const {
        C mod = Fmod{}(a, b);
        if constexpr (std::is_floating_point<C>::value || std::is_signed<C>::value) {
            if (mod != C(0) && (b < C(0)) != (mod < C(0))) mod = C(mod + b);
        }
        return mod;
    }
};
// Bitwise ops: integers and bool only; the host rejects floating-point dtypes before launching.
struct BitwiseAnd { template <typename C> __device__ C operator()(C a, C b) const { if constexpr (std::is_integral<C>::value) return C(a & b); else return a; } };
struct BitwiseOr { template <typename C> __device__ C operator()(C a, C b) const { if constexpr (std::is_integral<C>::value) return C(a | b); else return a; } };
struct BitwiseXor { template <typename C> __device__ C operator()(C a, C b) const { if constexpr (std::is_integral<C>::value) return C(a ^ b); else return a; } };
// NaN propagates (a + b is NaN when either is), as torch.maximum/minimum.
struct Maximum { template <typename C> __device__ C operator()(C a, C b) const { return is_nan(a) || is_nan(b) ? C(a + b) : (a > b ? a : b); } };
struct Minimum { template <typename C> __device__ C operator()(C a, C b) const { return is_nan(a) || is_nan(b) ? C(a + b) : (a < b ? a : b); } };

// ---- binary math functors: floating-point compute types only ----

struct Atan2 { template <typename C> __device__ C operator()(C a, C b) const { return atan2(a, b); } };
struct Hypot { template <typename C> __device__ C operator()(C a, C b) const { return hypot(a, b); } };
struct Xlogy {
    template <typename C> __device__ C operator()(C a, C b) const {
        if (isnan(b)) return b;
        return a == C(0) ? C(0) : a * log(b);
    }
};
struct Copysign { template <typename C> __device__ C operator()(C a, C b) const { return copysign(a, b); } };
struct Fmax { template <typename C> __device__ C operator()(C a, C b) const { return fmax(a, b); } };
struct Fmin { template <typename C> __device__ C operator()(C a, C b) const { return fmin(a, b); } };
struct Logaddexp {
    template <typename C> __device__ C operator()(C a, C b) const {
        if (isinf(a) && a == b) return a;
        C m = a > b ? a : b;
        if (isnan(a) || isnan(b)) return a + b;
        return m + log1p(exp(-fabs(a - b)));
    }
};
struct Logaddexp2 {
    template <typename C> __device__ C operator()(C a, C b) const {
        if (isinf(a) && a == b) return a;
        C m = a > b ? a : b;
        if (isnan(a) || isnan(b)) return a + b;
        return m + log1p(exp2(-fabs(a - b))) * C(1.4426950408889634074);
    }
};

struct Eq { template <typename C> __device__ bool operator()(C a, C b) const { return a == b; } };
struct Ne { template <typename C> __device__ bool operator()(C a, C b) const { return a != b; } };
struct Lt { template <typename C> __device__ bool operator()(C a, C b) const { return a < b; } };
struct Le { template <typename C> __device__ bool operator()(C a, C b) const { return a <= b; } };
struct Gt { template <typename C> __device__ bool operator()(C a, C b) const { return a > b; } };
struct Ge { template <typename C> __device__ bool operator()(C a, C b) const { return a >= b; } };
struct LogicalAnd { template <typename C> __device__ bool operator()(C a, C b) const { return a != C(0) && b != C(0); } };
struct LogicalOr { template <typename C> __device__ bool operator()(C a, C b) const { return a != C(0) || b != C(0); } };
struct LogicalXor { template <typename C> __device__ bool operator()(C a, C b) const { return (a != C(0)) != (b != C(0)); } };

// ---- element functors for the loops ----

template <typename C> __device__ __forceinline__ C apply_unary(pst_unary_op op, C x) {
    switch (op) {
        case PST_UNARY_NEG: return Neg{}(x);
        case PST_UNARY_ABS: return Abs{}(x);
        case PST_UNARY_RELU: return Relu{}(x);
        case PST_UNARY_SIGN:
        case PST_UNARY_SGN: return Sign{}(x);
        case PST_UNARY_LOGICAL_NOT: return LogicalNot{}(x);
        case PST_UNARY_SQUARE: return Square{}(x);
        default: break;
    }
    if constexpr (std::is_floating_point<C>::value) {
        switch (op) {
            case PST_UNARY_EXP: return Exp{}(x);
            case PST_UNARY_LOG: return Log{}(x);
            case PST_UNARY_SQRT: return Sqrt{}(x);
            case PST_UNARY_RSQRT: return Rsqrt{}(x);
            case PST_UNARY_SIN: return Sin{}(x);
            case PST_UNARY_COS: return Cos{}(x);
            case PST_UNARY_TAN: return Tan{}(x);
            case PST_UNARY_TANH: return Tanh{}(x);
            case PST_UNARY_SIGMOID: return Sigmoid{}(x);
            case PST_UNARY_RECIPROCAL: return Reciprocal{}(x);
            case PST_UNARY_EXPM1: return Expm1{}(x);
            case PST_UNARY_LOG1P: return Log1p{}(x);
            case PST_UNARY_LOG2: return Log2{}(x);
            case PST_UNARY_LOG10: return Log10{}(x);
            case PST_UNARY_EXP2: return Exp2{}(x);
            case PST_UNARY_ASIN: return Asin{}(x);
            case PST_UNARY_ACOS: return Acos{}(x);
            case PST_UNARY_ATAN: return Atan{}(x);
            case PST_UNARY_SINH: return Sinh{}(x);
            case PST_UNARY_COSH: return Cosh{}(x);
            case PST_UNARY_ASINH: return Asinh{}(x);
            case PST_UNARY_ACOSH: return Acosh{}(x);
            case PST_UNARY_ATANH: return Atanh{}(x);
            case PST_UNARY_ERFC: return Erfc{}(x);
            case PST_UNARY_ERFINV: return Erfinv{}(x);
            case PST_UNARY_SINC: return Sinc{}(x);
            case PST_UNARY_DEG2RAD: return Deg2rad{}(x);
            case PST_UNARY_RAD2DEG: return Rad2deg{}(x);
            case PST_UNARY_FRAC: return Frac{}(x);
            case PST_UNARY_FLOOR: return Floor{}(x);
            case PST_UNARY_CEIL: return Ceil{}(x);
            case PST_UNARY_ROUND: return Round{}(x);
            case PST_UNARY_TRUNC: return Trunc{}(x);
            case PST_UNARY_ERF: return Erf{}(x);
            case PST_UNARY_SILU: return Silu{}(x);
            case PST_UNARY_GELU: return Gelu{}(x);
            default: break;
        }
    }
    return x;  // unreachable: the host checked the op code
}

template <typename C> __device__ __forceinline__ C apply_arithmetic(pst_binary_op op, C a, C b) {
    switch (op) {
        case PST_BINARY_ADD: return Add{}(a, b);
        case PST_BINARY_SUB: return Sub{}(a, b);
        case PST_BINARY_MUL: return Mul{}(a, b);
        case PST_BINARY_DIV: return Div{}(a, b);
        case PST_BINARY_POW: return Pow{}(a, b);
        case PST_BINARY_MAXIMUM: return Maximum{}(a, b);
        case PST_BINARY_DIV_FLOOR:
        case PST_BINARY_FLOOR_DIVIDE: return DivFloor{}(a, b);
        case PST_BINARY_DIV_TRUNC: return DivTrunc{}(a, b);
        case PST_BINARY_REMAINDER: return Remainder{}(a, b);
        case PST_BINARY_FMOD: return Fmod{}(a, b);
        case PST_BINARY_BITWISE_AND: return BitwiseAnd{}(a, b);
        case PST_BINARY_BITWISE_OR: return BitwiseOr{}(a, b);
        case PST_BINARY_BITWISE_XOR: return BitwiseXor{}(a, b);
        case PST_BINARY_MINIMUM: return Minimum{}(a, b);
        default: break;
    }
    if constexpr (std::is_floating_point<C>::value) {
        switch (op) {
            case PST_BINARY_ATAN2: return Atan2{}(a, b);
            case PST_BINARY_HYPOT: return Hypot{}(a, b);
            case PST_BINARY_XLOGY: return Xlogy{}(a, b);
            case PST_BINARY_COPYSIGN: return Copysign{}(a, b);
            case PST_BINARY_FMAX: return Fmax{}(a, b);
            case PST_BINARY_FMIN: return Fmin{}(a, b);
            case PST_BINARY_LOGADDEXP: return Logaddexp{}(a, b);
            case PST_BINARY_LOGADDEXP2: return Logaddexp2{}(a, b);
            default: break;
        }
    }
    return a;  // unreachable: the host checked the op code and dtype
}

template <typename C> __device__ __forceinline__ bool apply_predicate(pst_binary_op op, C a, C b) {
    switch (op) {
        case PST_BINARY_EQ: return Eq{}(a, b);
        case PST_BINARY_NE: return Ne{}(a, b);
        case PST_BINARY_LT: return Lt{}(a, b);
        case PST_BINARY_LE: return Le{}(a, b);
        case PST_BINARY_GT: return Gt{}(a, b);
        case PST_BINARY_GE: return Ge{}(a, b);
        case PST_BINARY_LOGICAL_AND: return LogicalAnd{}(a, b);
        case PST_BINARY_LOGICAL_OR: return LogicalOr{}(a, b);
        default: return LogicalXor{}(a, b);
    }
}

template <typename T> struct UnaryElement {
    T* dst;
    const T* src;
    pst_unary_op op;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[2]) const {
        dst[o[0]] = convert<T>(apply_unary(op, convert<compute_t<T>>(src[o[1]])));
    }
};

template <typename T> struct ArithmeticElement {
    T* dst;
    const T* a;
    const T* b;
    pst_binary_op op;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[3]) const {
        using C = compute_t<T>;
        dst[o[0]] = convert<T>(apply_arithmetic(op, convert<C>(a[o[1]]), convert<C>(b[o[2]])));
    }
};

template <typename T> struct PredicateElement {
    bool* dst;
    const T* a;
    const T* b;
    pst_binary_op op;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[3]) const {
        using C = compute_t<T>;
        dst[o[0]] = apply_predicate(op, convert<C>(a[o[1]]), convert<C>(b[o[2]]));
    }
};

template <typename T> struct WhereElement {
    T* dst;
    const bool* cond;
    const T* a;
    const T* b;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[4]) const { dst[o[0]] = cond[o[1]] ? a[o[2]] : b[o[3]]; }
};

template <typename T> struct ClampElement {
    T* dst;
    const T* src;
    compute_t<T> lo, hi;
    bool has_lo, has_hi;
    __device__ __forceinline__ void operator()(int64_t, const int64_t (&o)[2]) const {
        using C = compute_t<T>;
        C x = convert<C>(src[o[1]]);
        if (!is_nan(x)) {
            if (has_lo && x < lo) x = lo;
            if (has_hi && x > hi) x = hi;
        }
        dst[o[0]] = convert<T>(x);
    }
};

// ---- the vectorised float32 path: four floats per 128-bit load, scalar tail ----

template <typename Op> __global__ void unary_float4_kernel(float* __restrict__ dst, const float* __restrict__ src, int64_t n, Op op) {
    const int64_t vectors = n / 4;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
    for (int64_t v = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; v < vectors; v += stride) {
        Vec16<float> x = load16(src + 4 * v);
#pragma unroll
        for (int j = 0; j < 4; ++j) x.v[j] = op(x.v[j]);
        store16(dst + 4 * v, x);
    }
    for (int64_t i = 4 * vectors + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += stride) dst[i] = op(src[i]);
}

template <typename Op>
__global__ void binary_float4_kernel(float* __restrict__ dst, const float* __restrict__ a, const float* __restrict__ b, int64_t n, Op op) {
    const int64_t vectors = n / 4;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
    for (int64_t v = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; v < vectors; v += stride) {
        Vec16<float> x = load16(a + 4 * v), y = load16(b + 4 * v);
#pragma unroll
        for (int j = 0; j < 4; ++j) x.v[j] = op(x.v[j], y.v[j]);
        store16(dst + 4 * v, x);
    }
    for (int64_t i = 4 * vectors + blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n; i += stride) dst[i] = op(a[i], b[i]);
}

template <int N> bool vectorizable(const pst_tensor* const (&operands)[N]) {
    for (int k = 0; k < N; ++k)
        if (operands[k]->dtype != PST_FLOAT32 || !is_contiguous(*operands[k]) || !aligned16(operands[k]->data)) return false;
    return true;
}

template <typename Op> pst_status run_unary_float4(const pst_tensor* dst, const pst_tensor* src, Op op, cudaStream_t stream) {
    int64_t n = numel(*dst);
    unary_float4_kernel<<<blocks_for((n + 3) / 4), kThreads, 0, stream>>>(static_cast<float*>(dst->data), static_cast<const float*>(src->data), n, op);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

template <typename Op> pst_status run_binary_float4(const pst_tensor* dst, const pst_tensor* a, const pst_tensor* b, Op op, cudaStream_t stream) {
    int64_t n = numel(*dst);
    binary_float4_kernel<<<blocks_for((n + 3) / 4), kThreads, 0, stream>>>(static_cast<float*>(dst->data), static_cast<const float*>(a->data),
                                                                            static_cast<const float*>(b->data), n, op);
    PST_LAUNCH_CHECK();
    return PST_SUCCESS;
}

// The ops a training step spends its elementwise time in get a compile-time float32 kernel; PST_ERROR_NOT_SUPPORTED
// tells the caller to take the op-code kernel.
pst_status unary_float4(pst_unary_op op, const pst_tensor* dst, const pst_tensor* src, cudaStream_t s) {
    switch (op) {
        case PST_UNARY_NEG: return run_unary_float4(dst, src, Neg{}, s);
        case PST_UNARY_RELU: return run_unary_float4(dst, src, Relu{}, s);
        case PST_UNARY_EXP: return run_unary_float4(dst, src, Exp{}, s);
        case PST_UNARY_LOG: return run_unary_float4(dst, src, Log{}, s);
        case PST_UNARY_SQRT: return run_unary_float4(dst, src, Sqrt{}, s);
        case PST_UNARY_TANH: return run_unary_float4(dst, src, Tanh{}, s);
        case PST_UNARY_SIGMOID: return run_unary_float4(dst, src, Sigmoid{}, s);
        case PST_UNARY_SQUARE: return run_unary_float4(dst, src, Square{}, s);
        case PST_UNARY_GELU: return run_unary_float4(dst, src, Gelu{}, s);
        default: return PST_ERROR_NOT_SUPPORTED;
    }
}

pst_status binary_float4(pst_binary_op op, const pst_tensor* dst, const pst_tensor* a, const pst_tensor* b, cudaStream_t s) {
    switch (op) {
        case PST_BINARY_ADD: return run_binary_float4(dst, a, b, Add{}, s);
        case PST_BINARY_SUB: return run_binary_float4(dst, a, b, Sub{}, s);
        case PST_BINARY_MUL: return run_binary_float4(dst, a, b, Mul{}, s);
        case PST_BINARY_DIV: return run_binary_float4(dst, a, b, Div{}, s);
        case PST_BINARY_MAXIMUM: return run_binary_float4(dst, a, b, Maximum{}, s);
        case PST_BINARY_MINIMUM: return run_binary_float4(dst, a, b, Minimum{}, s);
        default: return PST_ERROR_NOT_SUPPORTED;
    }
}

bool is_predicate(pst_binary_op op) { return op >= PST_BINARY_EQ && op <= PST_BINARY_LOGICAL_XOR; }

}  // namespace
}  // namespace pst

using namespace pst;

extern "C" {

pst_status pst_unary(pst_unary_op op, const pst_tensor* dst, const pst_tensor* src, void* stream) {
    const pst_tensor* operands[2] = {dst, src};
    PST_CHECK(check_same_shapes(operands, "pst_unary"));
    PST_REQUIRE(dst->dtype == src->dtype, "pst_unary: dst is %s but src is %s", dtype_name(dst->dtype), dtype_name(src->dtype));
    PST_REQUIRE((op >= PST_UNARY_NEG && op <= PST_UNARY_SGN) || (op >= PST_UNARY_EXP && op <= PST_UNARY_FRAC), "pst_unary: unknown op code %d",
                static_cast<int>(op));
    if (op >= PST_UNARY_EXP && dst->dtype < PST_FLOAT16)
        PST_FAIL(PST_ERROR_NOT_SUPPORTED, "pst_unary: op %d is not implemented for '%s'", static_cast<int>(op), dtype_name(dst->dtype));
    if (numel(*dst) == 0) return PST_SUCCESS;
    if (vectorizable(operands)) {
        pst_status status = unary_float4(op, dst, src, as_stream(stream));
        if (status != PST_ERROR_NOT_SUPPORTED) return status;
    }
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands, UnaryElement<T>{static_cast<T*>(dst->data), static_cast<const T*>(src->data), op}, as_stream(stream));
    });
}

pst_status pst_binary(pst_binary_op op, const pst_tensor* dst, const pst_tensor* a, const pst_tensor* b, void* stream) {
    const pst_tensor* operands[3] = {dst, a, b};
    PST_CHECK(check_same_shapes(operands, "pst_binary"));
    PST_REQUIRE(a->dtype == b->dtype, "pst_binary: a is %s but b is %s", dtype_name(a->dtype), dtype_name(b->dtype));
    if (is_predicate(op))
        PST_REQUIRE(dst->dtype == PST_BOOL, "pst_binary: a comparison or logical op writes bool, not %s", dtype_name(dst->dtype));
    else
        PST_REQUIRE(dst->dtype == a->dtype, "pst_binary: dst is %s but the operands are %s", dtype_name(dst->dtype), dtype_name(a->dtype));
    PST_REQUIRE(op >= PST_BINARY_ADD && op <= PST_BINARY_LOGADDEXP2, "pst_binary: unknown op code %d", static_cast<int>(op));
    if (op >= PST_BINARY_BITWISE_AND && op <= PST_BINARY_BITWISE_XOR && a->dtype >= PST_FLOAT16)
        PST_FAIL(PST_ERROR_NOT_SUPPORTED, "pst_binary: bitwise op %d is not implemented for '%s'", static_cast<int>(op), dtype_name(a->dtype));
    if (op >= PST_BINARY_ATAN2 && a->dtype < PST_FLOAT16)
        PST_FAIL(PST_ERROR_NOT_SUPPORTED, "pst_binary: op %d is not implemented for '%s'", static_cast<int>(op), dtype_name(a->dtype));
    if (numel(*dst) == 0) return PST_SUCCESS;
    if (!is_predicate(op) && vectorizable(operands)) {
        pst_status status = binary_float4(op, dst, a, b, as_stream(stream));
        if (status != PST_ERROR_NOT_SUPPORTED) return status;
    }
    return visit_all(a->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T* pa = static_cast<const T*>(a->data);
        const T* pb = static_cast<const T*>(b->data);
        if (is_predicate(op)) return for_each_element(operands, PredicateElement<T>{static_cast<bool*>(dst->data), pa, pb, op}, as_stream(stream));
        return for_each_element(operands, ArithmeticElement<T>{static_cast<T*>(dst->data), pa, pb, op}, as_stream(stream));
    });
}

pst_status pst_where(const pst_tensor* dst, const pst_tensor* cond, const pst_tensor* a, const pst_tensor* b, void* stream) {
    const pst_tensor* operands[4] = {dst, cond, a, b};
    PST_CHECK(check_same_shapes(operands, "pst_where"));
    PST_REQUIRE(cond->dtype == PST_BOOL, "pst_where: the condition is %s, not bool", dtype_name(cond->dtype));
    PST_REQUIRE(a->dtype == dst->dtype && b->dtype == dst->dtype, "pst_where: a, b and dst must share one dtype");
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        return for_each_element(operands,
                                WhereElement<T>{static_cast<T*>(dst->data), static_cast<const bool*>(cond->data),
                                                static_cast<const T*>(a->data), static_cast<const T*>(b->data)},
                                as_stream(stream));
    });
}

pst_status pst_clamp(const pst_tensor* dst, const pst_tensor* src, double min_value, double max_value, int32_t has_min, int32_t has_max,
                     void* stream) {
    const pst_tensor* operands[2] = {dst, src};
    PST_CHECK(check_same_shapes(operands, "pst_clamp"));
    PST_REQUIRE(dst->dtype == src->dtype, "pst_clamp: dst is %s but src is %s", dtype_name(dst->dtype), dtype_name(src->dtype));
    PST_REQUIRE(dst->dtype != PST_BOOL, "\"clamp_cuda\" not implemented for 'Bool'");
    return visit_all(dst->dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using C = compute_t<T>;
        return for_each_element(operands,
                                ClampElement<T>{static_cast<T*>(dst->data), static_cast<const T*>(src->data), static_cast<C>(min_value),
                                                static_cast<C>(max_value), has_min != 0, has_max != 0},
                                as_stream(stream));
    });
}

}  // extern "C"
