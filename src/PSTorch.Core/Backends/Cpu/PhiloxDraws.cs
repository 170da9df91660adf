using System.Runtime.CompilerServices;

namespace PSTorch.Backends.Cpu;

/// <summary>What a random kernel does with element i and its draw: 1 word for 32-bit draws, 2 for 64-bit ones.</summary>
internal unsafe interface IDrawSink
{
    void Take(long i, uint* words);
}

/// <summary>
/// Walks the elements of a random kernel in the layout of <see cref="RandomLayout"/>, drawing their Philox blocks a
/// tile at a time with <see cref="Philox.Words"/> (eight blocks per vector) into a stack buffer. Compiled optimised at
/// once: each range is one call per thread, too few for tiered JIT to promote the loop (a dropout over 4M floats took twice as long without it).
/// </summary>
internal static unsafe class PhiloxDraws
{
    const int TileBlocks = 256;

    /// <summary>sink.Take(i, words of element i) for i in [i0, i1); i0 starts a block (a multiple of the elements per block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForEach<TSink>(in PhiloxState state, long i0, long i1, int wordsPerElement, ref TSink sink) where TSink : struct, IDrawSink
    {
        int elementsPerBlock = 4 / wordsPerElement;
        uint* words = stackalloc uint[4 * TileBlocks];
        for (long tile = i0; tile < i1; tile += elementsPerBlock * TileBlocks)
        {
            long end = Math.Min(i1, tile + elementsPerBlock * TileBlocks);
            Philox.Words(state, (ulong)(tile / elementsPerBlock), words, (end - tile + elementsPerBlock - 1) / elementsPerBlock);
            for (long i = tile; i < end; i++) sink.Take(i, words + wordsPerElement * (i - tile));
        }
    }
}
