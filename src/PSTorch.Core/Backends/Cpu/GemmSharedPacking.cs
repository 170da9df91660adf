namespace PSTorch.Backends.Cpu;

/// <summary>
/// Lets the parts of a column-split GEMM pack each A block once between them instead of once each:
/// every part packs its share of the block's panels into a common buffer, then waits at a barrier
/// until the whole block is packed. Two buffers alternate, so passing the barrier for block i also
/// proves every part has finished computing with block i-1, whose buffer block i+1 then reuses.
/// </summary>
internal unsafe struct GemmSharedPacking
{
    public readonly void* ABuffers;
    public readonly long BufferElements;
    public readonly int Parts;
    private int _arrived;
    private int _phase;
    private int _abandoned;

    public GemmSharedPacking(void* aBuffers, long bufferElements, int parts)
    {
        ABuffers = aBuffers;
        BufferElements = bufferElements;
        Parts = parts;
    }

    /// <summary>Releases every waiting part, and fails every later wait, after a part has failed.</summary>
    public void Abandon() => Volatile.Write(ref _abandoned, 1);

    /// <summary>Spins until all parts have arrived; blocks are microseconds apart, too short to sleep on.</summary>
    public void ArriveAndWait()
    {
        int phase = Volatile.Read(ref _phase);
        if (Interlocked.Increment(ref _arrived) == Parts)
        {
            _arrived = 0;
            Volatile.Write(ref _phase, phase + 1);
            return;
        }
        SpinWait wait = default;
        while (Volatile.Read(ref _phase) == phase)
        {
            if (Volatile.Read(ref _abandoned) != 0)
                throw new OperationCanceledException("Another part of this matrix multiply failed.");
            wait.SpinOnce(sleep1Threshold: -1);
        }
    }
}
