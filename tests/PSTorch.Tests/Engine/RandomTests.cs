using PSTorch;
using Xunit;

namespace PSTorch.Tests.Engine;

[Collection("DefaultGenerator")]
public class RandomTests
{
    [Theory]
    // Known-answer vectors of Random123's philox4x32_10
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void PhiloxMatchesTheReferenceVectors(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint e0, uint e1, uint e2, uint e3)
    {
        Philox.Block(c0, c1, c2, c3, k0, k1, out var r0, out var r1, out var r2, out var r3);
        Assert.Equal(new[] { e0, e1, e2, e3 }, new[] { r0, r1, r2, r3 });
    }

    [Theory]
    [InlineData(0UL, 0UL, 1L)]
    [InlineData(0x1234_5678_9ABCUL, 77UL, 17L)]
    [InlineData(42UL, 0xFFFF_FFFCUL, 9L)]   // the counter carries into its high word inside a vector of blocks
    [InlineData(ulong.MaxValue, 5UL, 100L)]
    public unsafe void PhiloxWordsEqualTheBlockByBlockStream(ulong seed, ulong offset, long blocks)
    {
        var state = new PhiloxState(seed, offset);
        var words = new uint[4 * blocks];
        fixed (uint* w = words) Philox.Words(state, 3, w, blocks);
        for (long b = 0; b < blocks; b++)
        {
            Philox.Block(state, 3 + (ulong)b, out uint r0, out uint r1, out uint r2, out uint r3);
            Assert.Equal(new[] { r0, r1, r2, r3 }, words[(int)(4 * b)..(int)(4 * b + 4)]);
        }
    }

    [Fact]
    public void ManualSeedReproduces()
    {
        Torch.ManualSeed(123);
        var a = Torch.Rand(50).ToArray<float>();
        var b = Torch.Randn(50).ToArray<float>();
        Torch.ManualSeed(123);
        Assert.Equal(a, Torch.Rand(50).ToArray<float>());
        Assert.Equal(b, Torch.Randn(50).ToArray<float>());
        Assert.Equal(123, Torch.InitialSeed());
        Torch.ManualSeed(124);
        Assert.NotEqual(a, Torch.Rand(50).ToArray<float>());
    }

    [Fact]
    public void ConsecutiveCallsDiffer()
    {
        Torch.ManualSeed(5);
        Assert.NotEqual(Torch.Rand(8).ToArray<float>(), Torch.Rand(8).ToArray<float>());
    }

    [Fact]
    public void GeneratorsAreIndependentOfTheDefault()
    {
        var g1 = new Generator(42);
        var a = Torch.Randn([10], generator: g1).ToArray<float>();
        Torch.Rand(100);
        var g2 = new Generator(42);
        Assert.Equal(a, Torch.Randn([10], generator: g2).ToArray<float>());
        Assert.Equal(42, g2.InitialSeed());
        Assert.NotEqual(a, Torch.Randn([10], generator: new Generator(43)).ToArray<float>());
    }

    [Fact]
    public void StateRoundTrips()
    {
        var g = new Generator(7);
        Torch.Rand([3], generator: g);
        var state = g.GetState();
        var a = Torch.Rand([20], generator: g).ToArray<float>();
        g.SetState(state);
        Assert.Equal(a, Torch.Rand([20], generator: g).ToArray<float>());
        Assert.Throws<ArgumentException>(() => g.SetState(new byte[3]));
    }

    [Fact]
    public void ValuesDoNotDependOnSizeSplittingOrStrides()
    {
        // a parallel fill of 100k elements starts with the same values as a serial fill of 10
        var big = Torch.Rand([100_000], generator: new Generator(9)).ToArray<float>();
        var small = Torch.Rand([10], generator: new Generator(9)).ToArray<float>();
        Assert.Equal(small, big.Take(10).ToArray());
        var normalBig = Torch.Randn([100_001], DType.Float64, generator: new Generator(9)).ToArray<double>();
        Assert.Equal(Torch.Randn([7], DType.Float64, generator: new Generator(9)).ToArray<double>(), normalBig.Take(7).ToArray());
        // a strided destination gets the values in row-major order
        var contiguous = Torch.Rand([30, 40], generator: new Generator(3));
        var transposed = Torch.Empty([40, 30]).T().Uniform_(generator: new Generator(3));
        Assert.Equal(contiguous.ToArray<float>(), transposed.ToArray<float>());
    }

    [Fact]
    public void UniformRangeAndNormalMoments()
    {
        var u = Torch.Rand([100_000], DType.Float64, generator: new Generator(1)).ToArray<double>();
        Assert.All(u, v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.InRange(u.Average(), 0.495, 0.505);
        var n = Torch.Randn([100_000], DType.Float64, generator: new Generator(2)).ToArray<double>();
        double mean = n.Average(), std = Math.Sqrt(n.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.99, 1.01);
        var scaled = Torch.Normal(5, 2, [100_000], generator: new Generator(3)).ToArray<float>();
        Assert.InRange(scaled.Average(), 4.98, 5.02);
        var ab = Torch.Empty(1000).Uniform_(-3, -1, new Generator(4)).ToArray<float>();
        Assert.All(ab, v => Assert.InRange(v, -3f, -1f));
    }

    [Fact]
    public void LowPrecisionFloats()
    {
        var h = Torch.Rand([1000], DType.Float16, generator: new Generator(1));
        Assert.Equal(DType.Float16, h.DType);
        Assert.All(h.To(DType.Float32).ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(DType.BFloat16, Torch.Randn([4], DType.BFloat16).DType);
    }

    [Fact]
    public void RandintCoversTheRangeAsInt64()
    {
        var r = Torch.Randint(3, 7, [10_000], generator: new Generator(1));
        Assert.Equal(DType.Int64, r.DType);
        var values = r.ToArray<long>();
        Assert.Equal(new long[] { 3, 4, 5, 6 }, values.Distinct().Order().ToArray());
        Assert.Equal(DType.Float32, Torch.Randint(10, [3], DType.Float32).DType);
        var like = Torch.RandintLike(Torch.Zeros(2, 2), 5);
        Assert.Equal(new long[] { 2, 2 }, like.Shape);
        Assert.Equal("random_ expects 'from' to be less than 'to', but got from=5 >= to=5",
            Assert.Throws<ArgumentException>(() => Torch.Randint(5, 5, [2])).Message);
    }

    [Fact]
    public void RandpermIsAReproduciblePermutation()
    {
        var p = Torch.Randperm(100, generator: new Generator(11)).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), p.Order());
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (long)i), p);
        Assert.Equal(p, Torch.Randperm(100, generator: new Generator(11)).ToArray<long>());
    }

    [Fact]
    public void BernoulliFrequency()
    {
        var b = Torch.Empty(100_000).Bernoulli_(0.3, new Generator(1)).ToArray<float>();
        Assert.All(b, v => Assert.True(v == 0 || v == 1));
        Assert.InRange(b.Average(), 0.29, 0.31);
        var probs = Torch.NewTensor(new[] { 0.0, 1.0, 0.0, 1.0 });
        Assert.Equal(new float[] { 0, 1, 0, 1 }, Torch.Bernoulli(probs).ToArray<float>());
        Assert.Throws<ArgumentException>(() => Torch.Zeros(2).Bernoulli_(1.5));
    }

    [Fact]
    public void LikeFunctionsKeepShapeAndType()
    {
        var x = Torch.Zeros([2, 3], DType.Float64);
        Assert.Equal(new long[] { 2, 3 }, Torch.RandLike(x).Shape);
        Assert.Equal(DType.Float64, Torch.RandnLike(x).DType);
    }

    [Fact]
    public void InPlaceFillsBumpTheVersionAndRespectLeaves()
    {
        var t = Torch.Zeros(3);
        t.Normal_();
        Assert.Equal(1, t.Version);
        var leaf = Torch.Zeros([3], requiresGrad: true);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => leaf.Uniform_()).Message);
        Assert.True(Torch.Rand([2], requiresGrad: true).RequiresGrad);
    }

    [Fact]
    public void IntegerTensorsRefuseUniformAndNormal()
    {
        Assert.Equal("\"check_uniform_bounds\" not implemented for 'Long'",
            Assert.Throws<NotSupportedException>(() => Torch.Zeros([2], DType.Int64).Uniform_()).Message);
        Assert.Equal("\"normal_kernel_cpu\" not implemented for 'Long'",
            Assert.Throws<NotSupportedException>(() => Torch.Zeros([2], DType.Int64).Normal_()).Message);
    }

    [Fact]
    public void SeedPicksANewSeed()
    {
        long s = Torch.Seed();
        Assert.Equal(s, Torch.InitialSeed());
        var a = Torch.Rand(4).ToArray<float>();
        Torch.ManualSeed(s);
        Assert.Equal(a, Torch.Rand(4).ToArray<float>());
    }
}

[CollectionDefinition("DefaultGenerator", DisableParallelization = true)]
public class DefaultGeneratorCollection;
