using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>gelu with approximate "none" (exact, erf) or "tanh", and its GeluBackward0.</summary>
internal static class Gelu
{
    public static Tensor Apply(Tensor input, string approximate)
    {
        bool tanh = approximate switch
        {
            "none" => false,
            "tanh" => true,
            _ => throw new ArgumentException("approximate argument must be either none or tanh."),
        };
        if (!input.DType.IsFloatingPoint()) throw new NotSupportedException($"\"GeluKernelImpl\" not implemented for '{input.DType.LegacyName()}'");
        Tensor x;
        using (GradMode.Set(false)) x = input.Detach().Contiguous();
        var y = Tensor.Empty(input.ShapeRef, input.DType, input.Device);
        Backend.For(input).Gelu(y, x, tanh);
        if (Graph.ShouldRecord(input))
            Graph.Record(y, "GeluBackward0", [input], [x], (g, s, _) =>
            {
                var gx = Tensor.Empty(s[0].ShapeRef, g.DType, g.Device);
                Backend.For(g).GeluBackward(gx, g.Contiguous(), s[0], tanh);
                return [gx];
            });
        return y;
    }
}
