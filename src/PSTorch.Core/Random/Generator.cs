using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PSTorch;

/// <summary>
/// torch.Generator: a seed and a position in a Philox4x32-10 stream. Each random op reserves the blocks
/// it reads, so the same seed gives the same sequence of tensors on every run and every thread count.
/// </summary>
public sealed class Generator
{
    /// <summary>PyTorch's default seed before any manual_seed.</summary>
    public const long DefaultSeed = 67280421310721;

    readonly object gate = new();
    ulong seed;
    ulong offset;

    public Generator(long seed = DefaultSeed, Device? device = null)
    {
        Device = device ?? Device.Cpu;
        this.seed = (ulong)seed;
    }

    public Device Device { get; }

    /// <summary>Sets the seed and restarts the stream; returns this generator.</summary>
    public Generator ManualSeed(long seed)
    {
        lock (gate) { this.seed = (ulong)seed; offset = 0; }
        return this;
    }

    /// <summary>Seeds from a non-deterministic source and returns the seed.</summary>
    public long Seed()
    {
        long s = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) & long.MaxValue;
        ManualSeed(s);
        return s;
    }

    /// <summary>The seed the stream started from.</summary>
    public long InitialSeed()
    {
        lock (gate) return (long)seed;
    }

    /// <summary>The state as 16 bytes: the seed and the block offset, little-endian (as CUDA's Philox state).</summary>
    public byte[] GetState()
    {
        var b = new byte[16];
        lock (gate)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, seed);
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), offset);
        }
        return b;
    }

    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length != 16)
            throw new ArgumentException($"RNG state must be 16 bytes (seed and offset), got {state.Length}.", nameof(state));
        lock (gate)
        {
            seed = BinaryPrimitives.ReadUInt64LittleEndian(state);
            offset = BinaryPrimitives.ReadUInt64LittleEndian(state.AsSpan(8));
        }
    }

    /// <summary>Reserves <paramref name="blocks"/> Philox blocks and returns where they start.</summary>
    internal PhiloxState Reserve(ulong blocks)
    {
        lock (gate)
        {
            var s = new PhiloxState(seed, offset);
            offset += blocks;
            return s;
        }
    }

    public override string ToString() => $"Generator(device='{Device}', seed={(long)seed})";
}
