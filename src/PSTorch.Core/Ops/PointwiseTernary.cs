using PSTorch.Autograd;

namespace PSTorch.Ops;

/// <summary>lerp, addcmul and addcdiv: compositions of elementwise ops under no-grad with PyTorch's grad_fn and formulas.</summary>
internal static class PointwiseTernary
{
    /// <summary>start + weight * (end - start), taken from the end for |weight| &gt;= 0.5 as PyTorch's kernel (exact at weight 1).</summary>
    public static Tensor Lerp(Tensor start, Tensor end, double weight)
    {
        CheckLerpDTypes(start, end, null);
        Tensor y;
        using (GradMode.Set(false))
        {
            using var diff = end - start;
            using var scaled = Math.Abs(weight) < 0.5 ? diff * weight : diff * (1 - weight);
            y = Math.Abs(weight) < 0.5 ? start + scaled : end - scaled;
        }
        if (Graph.ShouldRecord(start, end))
        {
            var (ss, se) = (start.ShapeRef, end.ShapeRef);
            Graph.Record(y, "LerpBackward0", [start, end], [], (g, _, n) =>
                [n[0] ? (g * (1 - weight)).SumToSize(ss) : null, n[1] ? (g * weight).SumToSize(se) : null]);
        }
        return y;
    }

    public static Tensor Lerp(Tensor start, Tensor end, Tensor weight)
    {
        CheckLerpDTypes(start, end, weight);
        Tensor y;
        using (GradMode.Set(false))
        {
            using var diff = end - start;
            using var fromStart = start + weight * diff;
            using var fromEnd = end - diff * (1 - weight);
            using var magnitude = weight.Abs();
            using var nearStart = magnitude < 0.5;
            y = Torch.Where(nearStart, fromStart, fromEnd);
        }
        if (Graph.ShouldRecord([start, end, weight]))
        {
            var (ss, se, sw) = (start.ShapeRef, end.ShapeRef, weight.ShapeRef);
            Graph.Record(y, "LerpBackward1", [start, end, weight], [start, end, weight], (g, s, n) =>
            [
                n[0] ? (g * (1 - s[2])).SumToSize(ss) : null,
                n[1] ? (g * s[2]).SumToSize(se) : null,
                n[2] ? (g * (s[1] - s[0])).SumToSize(sw) : null,
            ]);
        }
        return y;
    }

    /// <summary>PyTorch requires one floating dtype for start, end and a tensor weight.</summary>
    static void CheckLerpDTypes(Tensor start, Tensor end, Tensor? weight)
    {
        if (end.DType != start.DType)
            throw new InvalidOperationException($"expected dtype {CTypeName(start.DType)} for `end` but got dtype {CTypeName(end.DType)}");
        if (weight != null && weight.DType != start.DType)
            throw new InvalidOperationException($"expected dtype {CTypeName(start.DType)} for `weight` but got dtype {CTypeName(weight.DType)}");
        if (!start.DType.IsFloatingPoint())
        {
            string kernel = start.Device.Type == DeviceType.Cuda ? "lerp_cuda" : weight == null ? "lerp_kernel_scalar" : "lerp_kernel_tensor";
            throw new NotSupportedException($"\"{kernel}\" not implemented for '{start.DType.LegacyName()}'");
        }
    }

    /// <summary>The C++ type name PyTorch prints for a dtype (caffe2::TypeMeta).</summary>
    static string CTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float", DType.Float64 => "double", DType.Float16 => "c10::Half", DType.BFloat16 => "c10::BFloat16",
        DType.Int64 => "long int", DType.Int32 => "int", DType.Int16 => "short int", DType.Int8 => "signed char",
        DType.UInt8 => "unsigned char", _ => "bool",
    };

    /// <summary>input + value * tensor1 * tensor2 in the dtype the three promote to.</summary>
    public static Tensor Addcmul(Tensor input, Tensor tensor1, Tensor tensor2, double value)
    {
        var dtype = Promotion.ResultType(input, tensor1, tensor2);
        Tensor y;
        using (GradMode.Set(false))
        {
            using var product = tensor1.To(dtype) * tensor2.To(dtype);
            using var scaled = Scale(product, value);
            y = input.To(dtype) + scaled;
        }
        if (Graph.ShouldRecord([input, tensor1, tensor2]))
        {
            var (si, s1, s2) = (input.ShapeRef, tensor1.ShapeRef, tensor2.ShapeRef);
            var (ti, t1, t2) = (input.DType, tensor1.DType, tensor2.DType);
            Graph.Record(y, "AddcmulBackward0", [input, tensor1, tensor2], [tensor1, tensor2], (g, s, n) =>
            [
                n[0] ? g.SumToSize(si).To(ti) : null,
                n[1] ? (g * s[1] * value).SumToSize(s1).To(t1) : null,
                n[2] ? (g * s[0] * value).SumToSize(s2).To(t2) : null,
            ]);
        }
        return y;
    }

    /// <summary>input + value * tensor1 / tensor2; PyTorch refuses two integer tensors rather than guess at the division.</summary>
    public static Tensor Addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, double value)
    {
        if (tensor1.DType.IsIntegral(includeBool: true) && tensor2.DType.IsIntegral(includeBool: true))
            throw new InvalidOperationException("Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. " +
                "The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. " +
                "The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.");
        var dtype = Promotion.ResultType(input, tensor1, tensor2);
        Tensor y;
        using (GradMode.Set(false))
        {
            using var quotient = tensor1.To(dtype) / tensor2.To(dtype);
            using var scaled = Scale(quotient, value);
            y = input.To(dtype) + scaled;
        }
        if (Graph.ShouldRecord([input, tensor1, tensor2]))
        {
            var (si, s1, s2) = (input.ShapeRef, tensor1.ShapeRef, tensor2.ShapeRef);
            var (ti, t1, t2) = (input.DType, tensor1.DType, tensor2.DType);
            Graph.Record(y, "AddcdivBackward0", [input, tensor1, tensor2], [tensor1, tensor2], (g, s, n) =>
            [
                n[0] ? g.SumToSize(si).To(ti) : null,
                n[1] ? (g * value / s[1]).SumToSize(s1).To(t1) : null,
                n[2] ? (-(g * value) * s[0] / (s[1] * s[1])).SumToSize(s2).To(t2) : null,
            ]);
        }
        return y;
    }

    /// <summary>value * t in t's dtype: integer results take the value as an integer (PyTorch converts the scalar to the dtype).</summary>
    static Tensor Scale(Tensor t, double value) => t.DType.IsFloatingPoint() ? t * value : t * (long)value;
}
