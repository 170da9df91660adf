using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>torch.isclose, allclose and equal, composed from elementwise kernels (no autograd).</summary>
internal static class Closeness
{
    public static Tensor IsClose(Tensor a, Tensor b, double rtol, double atol, bool equalNan)
    {
        Backend.CheckSameDevice(a, b);
        if (a.DType != b.DType) throw new ArgumentException($"{a.DType.LegacyName()} did not match {b.DType.LegacyName()}");
        if (rtol < 0) throw new ArgumentException($"rtol must be greater than or equal to zero, but got {rtol}");
        if (atol < 0) throw new ArgumentException($"atol must be greater than or equal to zero, but got {atol}");
        using (GradMode.Set(false))
        {
            var close = a.Eq(b);
            if (a.DType == DType.Bool) return close;
            if (equalNan && a.IsFloatingPoint()) close = close | (a.Ne(a) & b.Ne(b));
            var error = (a - b).Abs();
            var allowed = (b * rtol).Abs() + atol;
            return close | (error.Lt(double.PositiveInfinity) & error.Le(allowed));
        }
    }

    public static bool AllClose(Tensor a, Tensor b, double rtol, double atol, bool equalNan) =>
        AllTrue(IsClose(a, b, rtol, atol, equalNan));

    public static bool Equal(Tensor a, Tensor b)
    {
        Backend.CheckSameDevice(a, b);
        if (!a.ShapeRef.AsSpan().SequenceEqual(b.ShapeRef)) return false;
        using (GradMode.Set(false)) return AllTrue(a.Eq(b));
    }

    static bool AllTrue(Tensor condition)
    {
        using (GradMode.Set(false)) return condition.LogicalNot().Sum().Item<long>() == 0;
    }
}
