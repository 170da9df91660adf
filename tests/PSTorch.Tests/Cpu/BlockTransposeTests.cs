using PSTorch.Backends.Cpu;
using Xunit;

namespace PSTorch.Tests.Cpu;

public unsafe class BlockTransposeTests
{
    [Fact]
    public void A16x16BlockIsTransposedBetweenStridedRows()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;   // only used with AVX-512
        const int sourceStride = 19, destinationStride = 21;
        var source = new float[16 * sourceStride];
        for (int i = 0; i < source.Length; i++) source[i] = i;
        var destination = new float[16 * destinationStride];
        Array.Fill(destination, -1f);
        fixed (float* s = source, d = destination)
            BlockTranspose.Float16x16(s, sourceStride, d, destinationStride);
        for (int j = 0; j < 16; j++)
            for (int k = 0; k < destinationStride; k++)
                Assert.Equal(k < 16 ? source[k * sourceStride + j] : -1f, destination[j * destinationStride + k]);
    }
}
