namespace PSTorch;

/// <summary>Shape and stride arithmetic shared by all ops.</summary>
internal static class Shapes
{
    public static long Numel(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        return n;
    }

    public static long[] ContiguousStrides(ReadOnlySpan<long> shape)
    {
        var st = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            st[i] = acc;
            acc *= Math.Max(shape[i], 1);
        }
        return st;
    }

    /// <summary>PyTorch's rule: strides are row-major, ignoring dimensions of size 1; empty tensors are contiguous.</summary>
    public static bool IsContiguous(long[] shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 0) return true;
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static int WrapDim(long dim, int ndim, bool forInsert = false)
    {
        int n = forInsert ? ndim + 1 : ndim;
        int min = n == 0 ? -1 : -n, max = n == 0 ? 0 : n - 1;
        if (dim < min || dim > max)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{min}, {max}], but got {dim})");
        return (int)(dim < 0 ? dim + Math.Max(n, 1) : dim);
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>The broadcast shape of two shapes, or PyTorch's error.</summary>
    public static long[] Broadcast(long[] a, long[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; i++)
        {
            long da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            long db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Strides that read a tensor of <paramref name="shape"/>/<paramref name="strides"/> as the broadcast <paramref name="target"/>.</summary>
    public static long[] BroadcastStrides(long[] shape, long[] strides, long[] target)
    {
        var r = new long[target.Length];
        int off = target.Length - shape.Length;
        if (off < 0) throw new ArgumentException($"Cannot broadcast shape {Format(shape)} to {Format(target)}.");
        for (int i = 0; i < target.Length; i++)
        {
            if (i < off) { r[i] = 0; continue; }
            long s = shape[i - off];
            if (s == target[i]) r[i] = strides[i - off];
            else if (s == 1) r[i] = 0;
            else
                throw new ArgumentException(
                    $"The expanded size of the tensor ({target[i]}) must match the existing size ({s}) at non-singleton dimension {i}.  Target sizes: {Format(target)}.  Tensor sizes: {Format(shape)}");
        }
        return r;
    }

    /// <summary>Resolves a single -1 in a requested shape against a number of elements (view/reshape).</summary>
    public static long[] InferSize(long[] requested, long numel)
    {
        var r = (long[])requested.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < r.Length; i++)
        {
            if (r[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (r[i] < 0) throw new ArgumentException($"invalid shape dimension {r[i]}");
            else known *= r[i];
        }
        if (infer >= 0)
        {
            if (known == 0 && numel == 0)
                throw new ArgumentException($"cannot reshape tensor of 0 elements into shape {Format(requested)} because the unspecified dimension size -1 can be any value and is ambiguous");
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
            r[infer] = numel / known;
        }
        else if (known != numel)
            throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        return r;
    }
}
