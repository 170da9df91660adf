namespace PSTorch.Backends.Cpu;

/// <summary>
/// log1p, expm1, erfc and erfinv in double precision, which .NET lacks (its LogP1 and ExpM1 lose the digits these
/// exist for). erf itself is <see cref="ErrorFunction.Erf"/>.
/// </summary>
internal static class SpecialFunctions
{
    const double InvSqrtPi = 0.56418958354775628695;

    /// <summary>log(1 + x): u = 1 + x is exact up to rounding, and log(u) * x / (u - 1) cancels that rounding (Goldberg).</summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return Math.Log(u);
        return Math.Log(u) * (x / (u - 1));
    }

    /// <summary>exp(x) - 1: (u - 1) * x / log(u) with u = exp(x) cancels the rounding of u (Kahan).</summary>
    public static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1 || double.IsPositiveInfinity(u)) return um1;
        return um1 * x / Math.Log(u);
    }

    /// <summary>1 - erf(x), keeping its relative precision for large x: the continued fraction of erfc from |x| = 1.5, where it converges in 120 terms.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a < 1.5) return 1 - ErrorFunction.Erf(x);
        double fraction = a;
        for (int k = 120; k >= 1; k--) fraction = a + k * 0.5 / fraction;
        double upper = InvSqrtPi * Math.Exp(-a * a) / fraction;
        return x > 0 ? upper : 2 - upper;
    }

    /// <summary>
    /// The inverse of erf on [-1, 1]: Giles' single-precision approximation as a start, then Newton steps on
    /// erf(x) = y (or erfc(x) = 1 - y for |y| &gt; 0.5, where 1 - y is exact) to double precision.
    /// </summary>
    public static double Erfinv(double y)
    {
        if (double.IsNaN(y) || y < -1 || y > 1) return double.NaN;
        if (Math.Abs(y) == 1) return y * double.PositiveInfinity;
        if (y == 0) return y;
        double x = GilesErfinv(y);
        double a = Math.Abs(y), t = Math.Abs(x);
        // near |y| = 1 the start is far off and erfc's curvature slows Newton down: up to 13 steps for any double
        for (int i = 0; i < 30; i++)
        {
            // residual of the function that keeps its digits on this side, with erf'(t) = 2/sqrt(pi) e^(-t^2)
            double residual = a > 0.5 ? -(Erfc(t) - (1 - a)) : ErrorFunction.Erf(t) - a;
            double slope = 2 * InvSqrtPi * Math.Exp(-t * t);
            if (slope == 0) break;
            double step = residual / slope;
            t -= step;
            // the error after a step is about the square of the step: stop before it cycles between neighbours
            if (Math.Abs(step) <= 1e-15 * t) break;
        }
        return Math.CopySign(t, y);
    }

    static double GilesErfinv(double y)
    {
        double w = -Math.Log((1 - y) * (1 + y)), p;
        if (w < 5)
        {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        }
        else
        {
            w = Math.Sqrt(w) - 3;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        return p * y;
    }
}
