using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PSTorch.Backends.Cpu;

/// <summary>
/// Sizes of one image's zero-padded copy: channels of Height x Width, Width = OutWidth + KernelWidth - 1, then
/// slack so that the last block of outputs (FlatSize, a whole number of blocks) reads inside the buffer.
/// </summary>
internal readonly unsafe struct PaddedImageLayout<T>(Conv2dGeometry g, int flatMultiple) where T : unmanaged
{
    public readonly int Width = g.OutWidth + g.KernelWidth - 1;
    public readonly int Height = g.OutHeight + g.KernelHeight - 1;
    /// <summary>Outputs per channel in the flattened layout, rounded up to a multiple of the kernels' block of outputs.</summary>
    public readonly int FlatSize = RoundUp(checked(g.OutHeight * (g.OutWidth + g.KernelWidth - 1)), flatMultiple);
    int Plane => Width * Height;
    // a tap offset is below one channel plane, so the last channel's reads end before Plane * channels + FlatSize
    public int PaddedSize => checked(Plane * g.InChannels + FlatSize);

    public int[] TapOffsets()
    {
        var offsets = new int[g.PatchSize];
        int tap = 0;
        for (int c = 0; c < g.InChannels; c++)
            for (int ki = 0; ki < g.KernelHeight; ki++)
                for (int kj = 0; kj < g.KernelWidth; kj++)
                    offsets[tap++] = c * Plane + ki * Width + kj;
        return offsets;
    }

    /// <summary>
    /// Copies one contiguous image [C, H, W] inside the padding of a buffer whose padding is zero: every image goes to
    /// the same places, so a buffer zeroed once (RunOverImages with zeroed: true) serves a whole batch.
    /// </summary>
    public void Place(T* padded, T* image)
    {
        // the padding after the last row/column may be smaller than before it (or the input longer than the output needs)
        int rows = Math.Min(g.InHeight, Height - g.PaddingHeight);
        int columns = Math.Min(g.InWidth, Width - g.PaddingWidth);
        for (int c = 0; c < g.InChannels; c++)
            for (int ih = 0; ih < rows; ih++)
                CopyRow(image + ((long)c * g.InHeight + ih) * g.InWidth, padded + (long)c * Plane + (long)(ih + g.PaddingHeight) * Width + g.PaddingWidth, columns);
    }

    /// <summary>Copies the valid columns of a flattened output plane into a contiguous [OutHeight, OutWidth] plane.</summary>
    public void CopyOut(T* flat, T* plane)
    {
        for (int oh = 0; oh < g.OutHeight; oh++)
            CopyRow(flat + (long)oh * Width, plane + (long)oh * g.OutWidth, g.OutWidth);
    }

    /// <summary>Copies a contiguous [OutHeight, OutWidth] plane into the flattened layout (leaving the dropped columns alone).</summary>
    public void CopyIn(T* plane, T* flat)
    {
        for (int oh = 0; oh < g.OutHeight; oh++)
            CopyRow(plane + (long)oh * g.OutWidth, flat + (long)oh * Width, g.OutWidth);
    }

    static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Copies one image row (28 floats for Fashion-MNIST) between non-overlapping buffers with whole-vector moves, the
    /// last one overlapping the previous: a call to memmove per row cost more than the copying (a quarter of conv1's
    /// forward + backward time went to it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopyRow(T* source, T* destination, int count)
    {
        nuint bytes = (nuint)count * (nuint)sizeof(T);
        byte* s = (byte*)source, d = (byte*)destination;
        if (bytes >= 64)
        {
            nuint i = 0;
            for (; i + 64 <= bytes; i += 64) Vector512.Load(s + i).Store(d + i);
            if (i < bytes) Vector512.Load(s + bytes - 64).Store(d + bytes - 64);
        }
        else if (bytes >= 32)
        {
            Vector256.Load(s).Store(d);
            Vector256.Load(s + bytes - 32).Store(d + bytes - 32);
        }
        else if (bytes >= 16)
        {
            Vector128.Load(s).Store(d);
            Vector128.Load(s + bytes - 16).Store(d + bytes - 16);
        }
        else
            for (int i = 0; i < count; i++) destination[i] = source[i];
    }
}
