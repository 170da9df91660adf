using System.Numerics;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Sort, searchsorted and mode over contiguous rows. Each row is sorted as (key, index) pairs under a total order
/// (NaN above numbers, ties by index), so an unstable sort algorithm still gives the stable result. bfloat16 goes
/// through float32, which holds it exactly.
/// </summary>
internal sealed unsafe partial class CpuBackend
{
    /// <summary>Elements below which a sort or search runs on the calling thread.</summary>
    const long SortSplitThreshold = 1 << 15;

    public void Sort(Tensor values, Tensor indices, Tensor src, long rows, long n, bool descending)
    {
        switch (src.DType)
        {
            case DType.Float32: SortRows<float>(values, indices, src, rows, n, descending); break;
            case DType.Float64: SortRows<double>(values, indices, src, rows, n, descending); break;
            case DType.Float16: SortRows<Half>(values, indices, src, rows, n, descending); break;
            case DType.BFloat16:
            {
                // bfloat16 sorts as float32, its exact widening; the temporaries go at once rather than to the finalizer
                using var f = Tensor.Empty(values.ShapeRef, DType.Float32, values.Device);
                using var wide = src.To(DType.Float32);
                SortRows<float>(f, indices, wide, rows, n, descending);
                Copy(values, f);
                break;
            }
            case DType.Int64: SortRows<long>(values, indices, src, rows, n, descending); break;
            case DType.Int32: SortRows<int>(values, indices, src, rows, n, descending); break;
            case DType.Int16: SortRows<short>(values, indices, src, rows, n, descending); break;
            case DType.Int8: SortRows<sbyte>(values, indices, src, rows, n, descending); break;
            case DType.UInt8: case DType.Bool: SortRows<byte>(values, indices, src, rows, n, descending); break;
        }
    }

    /// <summary>Splits <paramref name="rows"/> over the worker threads when the work is large enough.</summary>
    static void ForRows(long rows, long perRow, Action<long, long> range)
    {
        int workers = rows * perRow < SortSplitThreshold ? 1 : (int)Math.Min(CpuThreads.Count, rows);
        CpuThreads.For(workers, w => range(rows * w / workers, rows * (w + 1) / workers));
    }

    static void SortRows<T>(Tensor values, Tensor indices, Tensor src, long rows, long n, bool descending) where T : unmanaged, INumber<T>
    {
        T* s = src.Ptr<T>(), v = values.Ptr<T>();
        long* ix = indices.Ptr<long>();
        ForRows(rows, n, (first, end) =>
        {
            var pairs = new KeyIndex<T>[n];
            var order = new KeyIndexOrder<T>(descending);
            for (long r = first; r < end; r++)
            {
                T* row = s + r * n;
                for (long j = 0; j < n; j++) pairs[j] = new KeyIndex<T>(row[j], j);
                pairs.AsSpan().Sort(order);
                for (long j = 0; j < n; j++)
                {
                    v[r * n + j] = pairs[j].Key;
                    ix[r * n + j] = pairs[j].Index;
                }
            }
        });
    }

    readonly record struct KeyIndex<T>(T Key, long Index);

    /// <summary>The backends' total order: NaN above every number, reversed when descending, ties by index either way.</summary>
    readonly struct KeyIndexOrder<T>(bool descending) : IComparer<KeyIndex<T>> where T : INumber<T>
    {
        public int Compare(KeyIndex<T> a, KeyIndex<T> b)
        {
            int c = CompareKeys(a.Key, b.Key);
            if (descending) c = -c;
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }
    }

    static int CompareKeys<T>(T a, T b) where T : INumber<T>
    {
        bool aNaN = T.IsNaN(a), bNaN = T.IsNaN(b);
        if (aNaN || bNaN) return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    public void Searchsorted(Tensor dst, Tensor boundaries, Tensor values, long rows, long boundaryCount, long valuesPerRow, bool sharedBoundaries, bool right)
    {
        switch (values.DType)
        {
            case DType.Float32: Search<float>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.Float64: Search<double>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.Float16: Search<Half>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.BFloat16:
            {
                using var wideBoundaries = boundaries.To(DType.Float32);
                using var wideValues = values.To(DType.Float32);
                Search<float>(dst, wideBoundaries, wideValues, rows, boundaryCount, valuesPerRow, sharedBoundaries, right);
                break;
            }
            case DType.Int64: Search<long>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.Int32: Search<int>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.Int16: Search<short>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.Int8: Search<sbyte>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
            case DType.UInt8: case DType.Bool: Search<byte>(dst, boundaries, values, rows, boundaryCount, valuesPerRow, sharedBoundaries, right); break;
        }
    }

    static void Search<T>(Tensor dst, Tensor boundaries, Tensor values, long rows, long count, long perRow, bool shared, bool right) where T : unmanaged, INumber<T>
    {
        T* b = boundaries.Ptr<T>(), v = values.Ptr<T>();
        bool int32 = dst.DType == DType.Int32;
        long* d64 = int32 ? null : dst.Ptr<long>();
        int* d32 = int32 ? dst.Ptr<int>() : null;
        ForRows(rows, perRow * Math.Max(1, BitOperations.Log2((ulong)count + 1)), (first, end) =>
        {
            for (long r = first; r < end; r++)
            {
                T* row = shared ? b : b + r * count;
                for (long j = r * perRow; j < (r + 1) * perRow; j++)
                {
                    long at = InsertionPoint(row, count, v[j], right);
                    if (int32) d32[j] = (int)at;
                    else d64[j] = at;
                }
            }
        });
    }

    /// <summary>PyTorch's cus_lower_bound / cus_upper_bound: the negated comparisons move past NaN boundaries and values.</summary>
    static long InsertionPoint<T>(T* row, long count, T value, bool right) where T : unmanaged, INumber<T>
    {
        long start = 0, end = count;
        while (start < end)
        {
            long mid = start + ((end - start) >> 1);
            bool before = right ? !(row[mid] > value) : !(row[mid] >= value);
            if (before) start = mid + 1;
            else end = mid;
        }
        return start;
    }

    public void ModeOfSorted(Tensor values, Tensor indices, Tensor sortedValues, Tensor sortedIndices, long rows, long n)
    {
        switch (sortedValues.DType)
        {
            case DType.Float32: Mode<float>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.Float64: Mode<double>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.Float16: Mode<Half>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.BFloat16:
            {
                using var f = Tensor.Empty(values.ShapeRef, DType.Float32, values.Device);
                using var wide = sortedValues.To(DType.Float32);
                Mode<float>(f, indices, wide, sortedIndices, rows, n);
                Copy(values, f);
                break;
            }
            case DType.Int64: Mode<long>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.Int32: Mode<int>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.Int16: Mode<short>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.Int8: Mode<sbyte>(values, indices, sortedValues, sortedIndices, rows, n); break;
            case DType.UInt8: case DType.Bool: Mode<byte>(values, indices, sortedValues, sortedIndices, rows, n); break;
        }
    }

    static void Mode<T>(Tensor values, Tensor indices, Tensor sortedValues, Tensor sortedIndices, long rows, long n) where T : unmanaged, INumber<T>
    {
        T* s = sortedValues.Ptr<T>(), v = values.Ptr<T>();
        long* si = sortedIndices.Ptr<long>(), ix = indices.Ptr<long>();
        ForRows(rows, n, (first, end) =>
        {
            for (long r = first; r < end; r++)
            {
                T* row = s + r * n;
                long best = 0, bestRun = 0, run = 0;
                for (long j = 0; j < n; j++)
                {
                    run++;
                    if (j == n - 1 || row[j] != row[j + 1])
                    {
                        if (run > bestRun) (best, bestRun) = (j, run);
                        run = 0;
                    }
                }
                v[r] = row[best];
                ix[r] = si[r * n + best];
            }
        });
    }
}
