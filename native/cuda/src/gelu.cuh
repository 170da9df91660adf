// GELU's value and derivative in the accumulation type A (double for float64, float otherwise): the exact erf form
// or the tanh approximation, the formulas of the CPU's GeluKernels. Shared by the GELU and bias+activation kernels.
#pragma once

#include "nn.cuh"

namespace pst {

template <typename A> struct GeluMath {
    static constexpr A kInvSqrt2 = A(0.70710678118654752440);
    static constexpr A kInvSqrt2Pi = A(0.39894228040143267794);
    static constexpr A kSqrt2OverPi = A(0.79788456080286535588);
    static constexpr A kCubic = A(0.044715);

    __device__ __forceinline__ static A forward(A v, bool tanh_form) {
        return tanh_form ? A(0.5) * v * (A(1) + tanh(kSqrt2OverPi * (v + kCubic * v * v * v))) : A(0.5) * v * (A(1) + erf(v * kInvSqrt2));
    }
    __device__ __forceinline__ static A derivative(A v, bool tanh_form) {
        if (tanh_form) {
            A t = tanh(kSqrt2OverPi * (v + kCubic * v * v * v));
            return A(0.5) * (A(1) + t) + A(0.5) * v * (A(1) - t * t) * kSqrt2OverPi * (A(1) + A(3) * kCubic * v * v);
        }
        return A(0.5) * (A(1) + erf(v * kInvSqrt2)) + v * kInvSqrt2Pi * exp(A(-0.5) * v * v);
    }
};

}  // namespace pst
