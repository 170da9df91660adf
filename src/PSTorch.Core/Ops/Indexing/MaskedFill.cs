using PSTorch.Autograd;
using PSTorch.Backends;

namespace PSTorch.Ops;

/// <summary>masked_fill / masked_fill_: the value where a (broadcast) bool mask is true.</summary>
internal static class MaskedFill
{
    /// <summary>The C++ type names PyTorch's masked_fill error prints.</summary>
    static string CTypeName(DType t) => t switch
    {
        DType.Float32 => "float", DType.Float64 => "double", DType.Float16 => "c10::Half", DType.BFloat16 => "c10::BFloat16",
        DType.Int64 => "long int", DType.Int32 => "int", DType.Int16 => "short int", DType.Int8 => "signed char",
        DType.UInt8 => "unsigned char", _ => "bool",
    };

    static void CheckMask(Tensor x, Tensor mask)
    {
        Backend.CheckSameDevice(x, mask);
        if (mask.DType != DType.Bool)
            throw new InvalidOperationException($"masked_fill_ only supports boolean masks, but got mask with dtype {CTypeName(mask.DType)}");
    }

    /// <summary>dst = mask ? value : x, all viewed with dst's shape (dst may be x itself).</summary>
    static void Fill(Tensor dst, Tensor x, Tensor mask, double value)
    {
        var shape = dst.ShapeRef;
        var fill = Torch.Full([], value, x.DType, x.Device);
        Backend.For(dst).Where(dst, mask.BroadcastView(shape), fill.BroadcastView(shape), x.BroadcastView(shape));
    }

    public static Tensor Apply(Tensor x, Tensor mask, double value)
    {
        CheckMask(x, mask);
        var y = Tensor.Empty(Shapes.Broadcast(x.ShapeRef, mask.ShapeRef), x.DType, x.Device);
        Fill(y, x, mask, value);
        if (Graph.ShouldRecord(x))
        {
            var inShape = x.ShapeRef;
            Graph.Record(y, "MaskedFillBackward0", [x], [mask], (g, s, _) => [Apply(g, s[0], 0).SumToSize(inShape)]);
        }
        return y;
    }

    public static Tensor ApplyInPlace(Tensor x, Tensor mask, double value)
    {
        CheckMask(x, mask);
        Shapes.BroadcastStrides(mask.ShapeRef, mask.StridesRef, x.ShapeRef);
        if (InPlace.MustRecord(x)) return InPlace.Rebase(x, Apply(InPlace.Snapshot(x), mask, value));
        Fill(x, x, mask, value);
        x.BumpVersion();
        return x;
    }
}
