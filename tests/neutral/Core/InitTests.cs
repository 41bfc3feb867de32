namespace Grad.Tests.Core;

public class InitTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Fact]
    public void Same_seed_gives_the_same_tensor_and_another_seed_does_not()
    {
        using var a = backend.Normal([100], seed: 7);
        using var b = backend.Normal([100], seed: 7);
        using var c = backend.Normal([100], seed: 8);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }

    [Fact]
    public void The_generator_sequence_is_fixed()
    {
        // Pinned, and checked against an independent Python xoshiro256** with SplitMix64
        // seeding: a change here changes every seeded run in Grad.
        var rng = new Rng(42);
        Assert.Equal(0.08386297105988216, rng.NextDouble(), 15);
        Assert.Equal(2, new Rng(42).NextInt(10));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Kaiming_and_xavier_have_the_documented_spread(DType dtype)
    {
        const int n = 200_000;
        using var k = Init.KaimingNormal([n], fanIn: 50, seed: 1, dtype: dtype, backend: backend.Backend);
        using var u = Init.XavierUniform([n], fanIn: 30, fanOut: 20, seed: 2, dtype: dtype, backend: backend.Backend);
        var kv = TestTensors.Values(k);
        var uv = TestTensors.Values(u);
        Assert.Equal(0, kv.Average(), 2);
        Assert.Equal(Math.Sqrt(2.0 / 50), Math.Sqrt(kv.Select(v => v * v).Average()), 2);
        double bound = Math.Sqrt(6.0 / 50);
        Assert.All(uv, v => Assert.InRange(v, -bound, bound));
        Assert.Equal(bound * bound / 3, uv.Select(v => v * v).Average(), 3);
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation()
    {
        var items = Enumerable.Range(0, 50).ToArray();
        new Rng(3).Shuffle<int>(items);
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), items);
    }
}
