using System.Numerics;
using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// gelu(x) = x * Phi(x) with Phi(x) = (1 + erf(x / sqrt 2)) / 2, or the tanh approximation
/// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), computed in double and rounded once.
/// </summary>
internal static unsafe class GeluKernels
{
    const double InvSqrt2 = 0.70710678118654752440;
    const double InvSqrt2Pi = 0.39894228040143267794;
    const double Sqrt2OverPi = 0.79788456080286535588;
    const double Cubic = 0.044715;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(T* x, T* y, long n, bool tanh) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long i = 0; i < n; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double r = tanh
                ? 0.5 * v * (1 + Math.Tanh(Sqrt2OverPi * (v + Cubic * v * v * v)))
                : 0.5 * v * (1 + ErrorFunction.Erf(v * InvSqrt2));
            y[i] = T.CreateTruncating(r);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(T* gy, T* x, T* gx, long n, bool tanh) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long i = 0; i < n; i++)
        {
            double v = double.CreateTruncating(x[i]);
            double d;
            if (tanh)
            {
                double t = Math.Tanh(Sqrt2OverPi * (v + Cubic * v * v * v));
                d = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Sqrt2OverPi * (1 + 3 * Cubic * v * v);
            }
            else d = 0.5 * (1 + ErrorFunction.Erf(v * InvSqrt2)) + v * InvSqrt2Pi * Math.Exp(-0.5 * v * v);
            gx[i] = T.CreateTruncating(double.CreateTruncating(gy[i]) * d);
        }
    }
}

/// <summary>
/// erf to near double precision (.NET has none): the series 2/sqrt(pi) e^(-x^2) sum (2x^2)^k x / (1*3*...*(2k+1)),
/// whose terms are all positive, for |x| &lt; 3, and the continued fraction of erfc beyond.
/// </summary>
internal static class ErrorFunction
{
    const double TwoOverSqrtPi = 1.12837916709551257390;
    const double InvSqrtPi = 0.56418958354775628695;

    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 6) return Math.Sign(x);
        if (a < 3)
        {
            double twoX2 = 2 * a * a, term = a, sum = a;
            for (int k = 1; k < 200 && term > sum * 1e-17; k++)
            {
                term *= twoX2 / (2 * k + 1);
                sum += term;
            }
            return Math.CopySign(TwoOverSqrtPi * Math.Exp(-a * a) * sum, x);
        }
        // erfc(a) = e^(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))), evaluated from the tail
        double fraction = a;
        for (int k = 60; k >= 1; k--) fraction = a + k * 0.5 / fraction;
        double erfc = InvSqrtPi * Math.Exp(-a * a) / fraction;
        return Math.CopySign(1 - erfc, x);
    }
}
