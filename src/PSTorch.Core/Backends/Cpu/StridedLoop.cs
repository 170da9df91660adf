using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>Processes one contiguous-in-index run of elements: n elements, per-operand base pointers and element strides.</summary>
internal unsafe interface IRowKernel
{
    void Run(long n, nint* pointers, long* strides);
}

/// <summary>
/// The CPU's elementwise iterator: walks operands that share one (broadcast) shape, each with its own
/// element strides, as rows along a coalesced innermost dimension, split over the cores when large.
/// Operand 0 is conventionally the output.
/// </summary>
internal static unsafe class StridedLoop
{
    /// <summary>Below this many elements one thread does the whole loop: a fork/join costs more than it saves.</summary>
    public const long ParallelThreshold = 1 << 15;

    public static void Run<TKernel>(long[] shape, long[][] strides, nint[] bases, int[] elementSizes, TKernel kernel)
        where TKernel : struct, IRowKernel
    {
        long numel = Shapes.Numel(shape);
        if (numel == 0) return;
        Coalesce(shape, strides, out var dims, out var st);
        int nd = dims.Length;
        long inner = nd == 0 ? 1 : dims[nd - 1];
        long rows = numel / inner;
        int workers = numel >= ParallelThreshold ? Math.Min(CpuThreads.Count, (int)Math.Min(int.MaxValue, numel / (ParallelThreshold / 2))) : 1;

        if (workers <= 1)
        {
            RunRows(0, rows, 0, inner, dims, st, bases, elementSizes, kernel);
            return;
        }
        if (rows >= workers * 4)
        {
            CpuThreads.For(workers, w =>
            {
                long r0 = rows * w / workers, r1 = rows * (w + 1) / workers;
                RunRows(r0, r1, 0, inner, dims, st, bases, elementSizes, kernel);
            });
            return;
        }
        // Few long rows: each worker takes its share of every row's elements, cut on 64-element boundaries so no
        // two workers write one cache line.
        CpuThreads.For(workers, w =>
        {
            long c0 = Math.Min(inner, inner * w / workers / 64 * 64);
            long c1 = w == workers - 1 ? inner : Math.Min(inner, inner * (w + 1) / workers / 64 * 64);
            for (long r = 0; r < rows; r++) RunRows(r, r + 1, c0, c1 - c0, dims, st, bases, elementSizes, kernel);
        });
    }

    /// <summary>Like <see cref="Run"/> but on the calling thread only, for kernels where different rows may write one element (scatter-add).</summary>
    public static void RunSerial<TKernel>(long[] shape, long[][] strides, nint[] bases, int[] elementSizes, TKernel kernel)
        where TKernel : struct, IRowKernel
    {
        if (Shapes.Numel(shape) == 0) return;
        Coalesce(shape, strides, out var dims, out var st);
        long inner = dims.Length == 0 ? 1 : dims[^1];
        RunRows(0, Shapes.Numel(shape) / inner, 0, inner, dims, st, bases, elementSizes, kernel);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RunRows<TKernel>(long r0, long r1, long colStart, long n, long[] dims, long[][] st, nint[] bases, int[] elementSizes, TKernel kernel)
        where TKernel : struct, IRowKernel
    {
        int ops = bases.Length;
        int nd = dims.Length;
        int outerDims = Math.Max(nd - 1, 0);
        var counter = stackalloc long[Math.Max(outerDims, 1)];
        var ptrs = stackalloc nint[ops];
        var innerStrides = stackalloc long[ops];
        for (int k = 0; k < ops; k++) innerStrides[k] = nd == 0 ? 0 : st[k][nd - 1];

        // decode the first row index into a multi-index over the outer dimensions
        long rem = r0;
        for (int d = outerDims - 1; d >= 0; d--)
        {
            counter[d] = rem % dims[d];
            rem /= dims[d];
        }
        for (long r = r0; r < r1; r++)
        {
            for (int k = 0; k < ops; k++)
            {
                long off = colStart * innerStrides[k];
                for (int d = 0; d < outerDims; d++) off += counter[d] * st[k][d];
                ptrs[k] = bases[k] + (nint)(off * elementSizes[k]);
            }
            kernel.Run(n, ptrs, innerStrides);
            for (int d = outerDims - 1; d >= 0; d--)
            {
                if (++counter[d] < dims[d]) break;
                counter[d] = 0;
            }
        }
    }

    /// <summary>Shared, never written: the stride list of an operand walked as one contiguous row.</summary>
    static readonly long[] UnitStride = [1];

    static bool AllContiguous(long[] shape, long[][] strides)
    {
        foreach (var s in strides)
            if (!Shapes.IsContiguous(shape, s)) return false;
        return true;
    }

    /// <summary>Drops size-1 dimensions and merges neighbours that every operand walks contiguously.</summary>
    static void Coalesce(long[] shape, long[][] strides, out long[] dims, out long[][] st)
    {
        int ops = strides.Length;
        if (AllContiguous(shape, strides))
        {
            // the common case, and most of a tiny op's loop overhead: one row, no lists
            dims = [Shapes.Numel(shape)];
            st = new long[ops][];
            for (int k = 0; k < ops; k++) st[k] = UnitStride;
            return;
        }
        var d = new List<long>();
        var s = new List<long>[ops];
        for (int k = 0; k < ops; k++) s[k] = new List<long>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1) continue;
            if (d.Count > 0)
            {
                int last = d.Count - 1;
                bool mergeable = true;
                for (int k = 0; k < ops && mergeable; k++) mergeable = s[k][last] == strides[k][i] * shape[i];
                if (mergeable)
                {
                    d[last] *= shape[i];
                    for (int k = 0; k < ops; k++) s[k][last] = strides[k][i];
                    continue;
                }
            }
            d.Add(shape[i]);
            for (int k = 0; k < ops; k++) s[k].Add(strides[k][i]);
        }
        dims = d.ToArray();
        st = new long[ops][];
        for (int k = 0; k < ops; k++) st[k] = s[k].ToArray();
    }
}
