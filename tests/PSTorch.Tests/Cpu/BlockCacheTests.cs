using PSTorch.Memory;

namespace PSTorch.Tests.Cpu;

/// <summary>The size-class cache shared by the CPU and pinned allocators.</summary>
public sealed class BlockCacheTests
{
    [Fact]
    public void KeepsBlocksByCapacityUpToTheLimitAndReleasesThemOnClear()
    {
        var released = new List<IntPtr>();
        var cache = new BlockCache(() => 300, released.Add);
        Assert.True(cache.TryKeep(1, 128));
        Assert.True(cache.TryKeep(2, 128));
        Assert.False(cache.TryKeep(3, 64));   // 320 bytes would pass the limit: the caller frees the block
        Assert.Equal(256, cache.CachedBytes);

        Assert.False(cache.TryTake(64, out _));
        Assert.True(cache.TryTake(128, out var block));
        Assert.Equal(2, block);   // the most recently freed block first: its memory is the likeliest to be in cache
        Assert.Equal(128, cache.CachedBytes);

        cache.Clear();
        Assert.Equal([(IntPtr)1], released);
        Assert.Equal(0, cache.CachedBytes);
        Assert.False(cache.TryTake(128, out _));
    }
}
