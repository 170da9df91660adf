using PSTorch;
using PSTorch.Memory;
using Xunit;

namespace PSTorch.Tests.Cpu;

/// <summary>The CPU caching allocator's size classes and alignment.</summary>
public sealed unsafe class CpuAllocatorTests
{
    [Theory]
    [InlineData(1L, 64L)]
    [InlineData(100L, 128L)]
    [InlineData(512L, 512L)]
    [InlineData(513L, 640L)]
    [InlineData(64L << 20, 64L << 20)]
    [InlineData((64L << 20) + 1, 80L << 20)]
    public void RequestsRoundUpToTheirSizeClass(long bytes, long sizeClass) => Assert.Equal(sizeClass, CpuAllocator.SizeClass(bytes));

    [Fact]
    public void SmallBlocksAreVectorAlignedAndLargeOnesStartOnAHugePage()
    {
        // a fresh size class, so the block comes from the OS rather than the cache
        void* small = CpuAllocator.Allocate(1000 * 64 + 64, out long smallCapacity);
        void* large = CpuAllocator.Allocate((40L << 20) + 4096, out long largeCapacity);
        try
        {
            Assert.Equal(0, (long)small % 64);
            // blocks of 8 MiB and more are 2 MiB-aligned on Linux, where they are offered transparent huge pages
            Assert.Equal(0, (long)large % (OperatingSystem.IsLinux() ? 2L << 20 : 64));
            new Span<byte>(large, 4096).Fill(1);
            Assert.Equal(1, ((byte*)large)[4095]);
        }
        finally
        {
            CpuAllocator.Free(small, smallCapacity);
            CpuAllocator.Free(large, largeCapacity);
        }
    }
}
