using System.Numerics;

namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Reduce(ReduceOp op, Tensor dst, Tensor src, long outer, long n, long inner)
    {
        switch (dst.DType)
        {
            case DType.Float32: Reduce<float>(op, dst, src, outer, n, inner); break;
            case DType.Float64: Reduce<double>(op, dst, src, outer, n, inner); break;
            case DType.Float16: case DType.BFloat16: ReduceVia32(op, dst, src, outer, n, inner); break;
            case DType.Int64: Reduce<long>(op, dst, src, outer, n, inner); break;
            case DType.Int32: Reduce<int>(op, dst, src, outer, n, inner); break;
            case DType.Int16: Reduce<short>(op, dst, src, outer, n, inner); break;
            case DType.Int8: Reduce<sbyte>(op, dst, src, outer, n, inner); break;
            case DType.UInt8: case DType.Bool: Reduce<byte>(op, dst, src, outer, n, inner); break;
        }
    }

    /// <summary>Half-precision reductions accumulate in float32, as PyTorch's CPU kernels do.</summary>
    void ReduceVia32(ReduceOp op, Tensor dst, Tensor src, long outer, long n, long inner)
    {
        var f = Tensor.Empty(dst.ShapeRef, DType.Float32, dst.Device);
        Reduce<float>(op, f, src.To(DType.Float32), outer, n, inner);
        Copy(dst, f);
    }

    static void Reduce<T>(ReduceOp op, Tensor dst, Tensor src, long outer, long n, long inner) where T : unmanaged, INumber<T>
    {
        T* s = src.Ptr<T>(), d = dst.Ptr<T>();
        switch (op)
        {
            case ReduceOp.Sum: ReduceKernel<T, SumReduce<T>>.Run(s, d, outer, n, inner); break;
            case ReduceOp.Prod: ReduceKernel<T, ProdReduce<T>>.Run(s, d, outer, n, inner); break;
            case ReduceOp.Max: ReduceKernel<T, MaxReduce<T>>.Run(s, d, outer, n, inner); break;
            case ReduceOp.Min: ReduceKernel<T, MinReduce<T>>.Run(s, d, outer, n, inner); break;
        }
    }

    public void ArgReduce(bool max, Tensor? values, Tensor indices, Tensor src, long outer, long n, long inner)
    {
        switch (src.DType)
        {
            case DType.Float32: ArgReduce<float>(max, values, indices, src, outer, n, inner); break;
            case DType.Float64: ArgReduce<double>(max, values, indices, src, outer, n, inner); break;
            case DType.Float16: ArgReduce<Half>(max, values, indices, src, outer, n, inner); break;
            case DType.BFloat16:
                // float32 holds every bfloat16 exactly, so the winner converts back unchanged
                var f = values == null ? null : Tensor.Empty(values.ShapeRef, DType.Float32, values.Device);
                ArgReduce<float>(max, f, indices, src.To(DType.Float32), outer, n, inner);
                if (values != null) Copy(values, f!);
                break;
            case DType.Int64: ArgReduce<long>(max, values, indices, src, outer, n, inner); break;
            case DType.Int32: ArgReduce<int>(max, values, indices, src, outer, n, inner); break;
            case DType.Int16: ArgReduce<short>(max, values, indices, src, outer, n, inner); break;
            case DType.Int8: ArgReduce<sbyte>(max, values, indices, src, outer, n, inner); break;
            case DType.UInt8: case DType.Bool: ArgReduce<byte>(max, values, indices, src, outer, n, inner); break;
        }
    }

    static void ArgReduce<T>(bool max, Tensor? values, Tensor indices, Tensor src, long outer, long n, long inner) where T : unmanaged, INumber<T> =>
        ArgReduceKernel<T>.Run(max, src.Ptr<T>(), values == null ? null : values.Ptr<T>(), indices.Ptr<long>(), outer, n, inner);
}
