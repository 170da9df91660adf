using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PSTorch.Vision;

/// <summary>
/// Antialiased bilinear resampling of RGBA pixels, as PIL's BILINEAR resize (torchvision's Resize/RandomResizedCrop
/// with antialias): a triangle filter widened by the shrink factor, applied to rows and then to columns in float32,
/// rounded to the nearest byte. Skia's canvas took ~0.8 ms per 224x224 crop (several times that with the mipmaps
/// strong shrinking needs); this takes a fraction of it.
/// </summary>
internal static class Resampling
{
    /// <summary>For each output coordinate: the first source pixel, how many follow, and their weights (summing to 1).</summary>
    sealed class Taps
    {
        public readonly int[] First, Count;
        public readonly float[] Weights;
        public readonly int Stride;

        public Taps(double start, double length, int inSize, int outSize)
        {
            double scale = length / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterScale;   // the triangle's radius, 1 source pixel, widened when shrinking
            Stride = (int)Math.Ceiling(support) * 2 + 1;
            First = new int[outSize];
            Count = new int[outSize];
            Weights = new float[outSize * Stride];
            var w = new double[Stride];
            for (int i = 0; i < outSize; i++)
            {
                double center = start + (i + 0.5) * scale;
                int lo = Math.Max(0, (int)Math.Floor(center - support + 0.5));
                int hi = Math.Min(inSize, (int)Math.Floor(center + support + 0.5));
                double sum = 0;
                int n = 0;
                for (int x = lo; x < hi && n < Stride; x++, n++)
                {
                    w[n] = Math.Max(0, 1 - Math.Abs((x - center + 0.5) / filterScale));
                    sum += w[n];
                }
                if (sum <= 0)
                {
                    // The region lies outside the image here: repeat the nearest edge pixel.
                    lo = Math.Clamp((int)Math.Floor(center), 0, inSize - 1);
                    n = 1;
                    w[0] = sum = 1;
                }
                First[i] = lo;
                Count[i] = n;
                for (int k = 0; k < n; k++) Weights[i * Stride + k] = (float)(w[k] / sum);
            }
        }

        public int Low => First.Min();
        public int High => First.Zip(Count, (f, c) => f + c).Max();
    }

    /// <summary>
    /// Resamples the region (left, top, width, height) of <paramref name="source"/> (RGBA rows of
    /// <paramref name="sourceWidth"/> pixels) into <paramref name="target"/> (RGBA, <paramref name="outWidth"/> x <paramref name="outHeight"/>).
    /// </summary>
    public static void ResizeRegion(ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight,
        double left, double top, double width, double height, Span<byte> target, int outWidth, int outHeight)
    {
        var columns = new Taps(left, width, sourceWidth, outWidth);
        var rows = new Taps(top, height, sourceHeight, outHeight);
        int xLow = columns.Low, xHigh = columns.High, yLow = rows.Low, yHigh = rows.High;
        int outRow = outWidth * 4;
        var sourceRow = ArrayPool<float>.Shared.Rent((xHigh - xLow) * 4);
        var horizontal = ArrayPool<float>.Shared.Rent((yHigh - yLow) * outRow);
        var accumulator = ArrayPool<float>.Shared.Rent(outRow);
        try
        {
            for (int y = yLow; y < yHigh; y++)
            {
                var row = sourceRow.AsSpan(0, (xHigh - xLow) * 4);
                TensorPrimitives.ConvertTruncating<byte, float>(source.Slice((y * sourceWidth + xLow) * 4, row.Length), row);
                ResampleRow(row, xLow, columns, horizontal.AsSpan((y - yLow) * outRow, outRow));
            }
            var sum = accumulator.AsSpan(0, outRow);
            for (int y = 0; y < outHeight; y++)
            {
                sum.Clear();
                int first = rows.First[y];
                for (int k = 0; k < rows.Count[y]; k++)
                    TensorPrimitives.MultiplyAdd(horizontal.AsSpan((first + k - yLow) * outRow, outRow), rows.Weights[y * rows.Stride + k], sum, sum);
                TensorPrimitives.Add(sum, 0.5f, sum);   // round to nearest when truncating below
                TensorPrimitives.Max(sum, 0f, sum);
                TensorPrimitives.Min(sum, 255f, sum);
                TensorPrimitives.ConvertTruncating<float, byte>(sum, target.Slice(y * outRow, outRow));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sourceRow);
            ArrayPool<float>.Shared.Return(horizontal);
            ArrayPool<float>.Shared.Return(accumulator);
        }
    }

    /// <summary>One row: each output pixel (4 channels at once) is the weighted sum of its source pixels.</summary>
    static void ResampleRow(ReadOnlySpan<float> row, int xLow, Taps columns, Span<float> output)
    {
        ref float input = ref MemoryMarshal.GetReference(row);
        ref float result = ref MemoryMarshal.GetReference(output);
        for (int x = 0; x < columns.First.Length; x++)
        {
            int at = (columns.First[x] - xLow) * 4, weights = x * columns.Stride;
            var acc = Vector128<float>.Zero;
            for (int k = 0; k < columns.Count[x]; k++)
                acc += Vector128.Create(columns.Weights[weights + k]) * Vector128.LoadUnsafe(ref input, (nuint)(at + 4 * k));
            acc.StoreUnsafe(ref result, (nuint)(4 * x));
        }
    }
}
