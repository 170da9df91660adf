namespace PSTorch.Memory;

/// <summary>
/// The caching half of an allocator: freed blocks kept by exact capacity (a size class) for the next request of that
/// class, up to a byte limit, so that hot loops reuse memory instead of paying the system's allocation costs.
/// </summary>
internal sealed class BlockCache(Func<long> limitBytes, Action<IntPtr> release)
{
    readonly object gate = new();
    readonly Dictionary<long, Stack<IntPtr>> blocks = new();
    long cachedBytes;

    public long CachedBytes { get { lock (gate) return cachedBytes; } }

    /// <summary>A cached block of exactly <paramref name="capacity"/> bytes, if one is kept.</summary>
    public bool TryTake(long capacity, out IntPtr block)
    {
        lock (gate)
        {
            if (blocks.TryGetValue(capacity, out var stack) && stack.Count > 0)
            {
                block = stack.Pop();
                cachedBytes -= capacity;
                return true;
            }
        }
        block = IntPtr.Zero;
        return false;
    }

    /// <summary>Keeps a freed block for reuse; false when that would pass the limit (the caller releases it then).</summary>
    public bool TryKeep(IntPtr block, long capacity)
    {
        lock (gate)
        {
            if (cachedBytes + capacity > limitBytes()) return false;
            if (!blocks.TryGetValue(capacity, out var stack)) blocks[capacity] = stack = new Stack<IntPtr>();
            stack.Push(block);
            cachedBytes += capacity;
            return true;
        }
    }

    /// <summary>Releases every cached block.</summary>
    public void Clear()
    {
        lock (gate)
        {
            foreach (var stack in blocks.Values)
                while (stack.Count > 0) release(stack.Pop());
            blocks.Clear();
            cachedBytes = 0;
        }
    }
}
