using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PSTorch;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"): a counter-based generator.
/// Block <c>counter</c> under <c>key</c> gives four 32-bit words with no dependence on other blocks, so any
/// element of a random fill can be computed independently (by any thread, on any device) and reproduced.
/// </summary>
internal static class Philox
{
    const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;
    const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four words of block (c0..c3) under key (k0, k1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, out uint r0, out uint r1, out uint r2, out uint r3)
    {
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0, n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1, n3 = (uint)p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
            k0 += W0; k1 += W1;
        }
        r0 = c0; r1 = c1; r2 = c2; r3 = c3;
    }

    /// <summary>The four words of the block at 64-bit counter <paramref name="block"/> for a generator state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(in PhiloxState state, ulong block, out uint r0, out uint r1, out uint r2, out uint r3)
    {
        ulong c = state.Offset + block;
        Block((uint)c, (uint)(c >> 32), 0, 0, (uint)state.Seed, (uint)(state.Seed >> 32), out r0, out r1, out r2, out r3);
    }

    /// <summary>
    /// The word stream of <paramref name="blocks"/> consecutive blocks: words[4 b + j] = word j of block
    /// <paramref name="firstBlock"/> + b. Eight blocks at a time run in the lanes of 512-bit vectors where the
    /// hardware has them (each lane holds one 32-bit counter word in 64 bits, so the 32x32-bit products fit),
    /// which is several times faster than one block after another; the words are the same either way.
    /// </summary>
    public static unsafe void Words(in PhiloxState state, ulong firstBlock, uint* words, long blocks)
    {
        long b = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var lane = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
            var low = Vector512.Create(0xFFFF_FFFFUL);
            var m0 = Vector512.Create((ulong)M0);
            var m1 = Vector512.Create((ulong)M1);
            ulong* lanes = stackalloc ulong[32];
            for (; b + 8 <= blocks; b += 8)
            {
                var c = Vector512.Create(state.Offset + firstBlock + (ulong)b) + lane;
                Vector512<ulong> c0 = c & low, c1 = c >>> 32, c2 = Vector512<ulong>.Zero, c3 = Vector512<ulong>.Zero;
                uint k0 = (uint)state.Seed, k1 = (uint)(state.Seed >> 32);
                for (int round = 0; round < 10; round++)
                {
                    var p0 = c0 * m0;
                    var p1 = c2 * m1;
                    var n0 = (p1 >>> 32) ^ c1 ^ Vector512.Create((ulong)k0);
                    var n1 = p1 & low;
                    var n2 = (p0 >>> 32) ^ c3 ^ Vector512.Create((ulong)k1);
                    var n3 = p0 & low;
                    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
                    k0 += W0; k1 += W1;
                }
                c0.Store(lanes);
                c1.Store(lanes + 8);
                c2.Store(lanes + 16);
                c3.Store(lanes + 24);
                uint* o = words + 4 * b;
                for (int l = 0; l < 8; l++)
                {
                    o[4 * l] = (uint)lanes[l];
                    o[4 * l + 1] = (uint)lanes[8 + l];
                    o[4 * l + 2] = (uint)lanes[16 + l];
                    o[4 * l + 3] = (uint)lanes[24 + l];
                }
            }
        }
        for (; b < blocks; b++)
        {
            uint* o = words + 4 * b;
            Block(state, firstBlock + (ulong)b, out o[0], out o[1], out o[2], out o[3]);
        }
    }

    /// <summary>A float in [0, 1) from the low 24 bits of a word (as PyTorch's uniform for float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUnitFloat(uint x) => (x & ((1u << 24) - 1)) * (1.0f / (1 << 24));

    /// <summary>A double in [0, 1) from 53 bits of two words (as PyTorch's uniform for double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToUnitDouble(uint lo, uint hi) => ((((ulong)hi << 32) | lo) & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
}

/// <summary>
/// Where a random fill starts: the key (seed) and the first block counter reserved for it.
/// How many blocks a fill of n elements uses is fixed by <see cref="RandomLayout"/>, so every backend
/// produces the same numbers for the same state.
/// </summary>
internal readonly record struct PhiloxState(ulong Seed, ulong Offset);

/// <summary>
/// The element-to-counter layout shared by all backends. Element i of a fill reads
/// <list type="bullet">
/// <item>32-bit draws (float uniform): block i/4, word i%4;</item>
/// <item>64-bit draws (double uniform, randint, bernoulli): block i/2, words 2(i%2) and 2(i%2)+1;</item>
/// <item>normals come in Box-Muller pairs p = i/2: block p, words 0,1 (float) or all four (double) give both elements of the pair.</item>
/// </list>
/// </summary>
internal static class RandomLayout
{
    public static ulong BlocksFor32(long n) => (ulong)(n + 3) / 4;
    public static ulong BlocksFor64(long n) => (ulong)(n + 1) / 2;
    public static ulong BlocksForNormal(long n) => (ulong)(n + 1) / 2;
}
