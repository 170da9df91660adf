namespace PSTorch.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void FillArange(Tensor dst, double start, double step)
    {
        if (dst.DType == DType.Int64 && Math.Floor(start) == start && Math.Floor(step) == step)
        {
            long s = (long)start, d = (long)step;
            FillByIndex(dst, DType.Int64, (p, i0, i1) => { for (long i = i0; i < i1; i++) ((long*)p)[i] = s + i * d; });
            return;
        }
        FillByIndex(dst, DType.Float64, (p, i0, i1) => { for (long i = i0; i < i1; i++) ((double*)p)[i] = start + i * step; });
    }

    public void FillLinspace(Tensor dst, double start, double end)
    {
        long steps = dst.Numel();
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        long half = steps == 1 ? 1 : steps / 2; // a single point is start
        FillByIndex(dst, DType.Float64, (p, i0, i1) =>
        {
            double* o = (double*)p;
            for (long i = i0; i < i1; i++) o[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
        });
    }
}
