using CsCheck;
using static Grad.Ops;

namespace Grad.Tests.Property;

/// <summary>Each primitive's derivative rule against central finite differences in float64, on
/// random shapes and values, through the small layers in PrimitiveLayers.cs.</summary>
public class PrimitiveGradientProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int N, int M, int K, ulong Seed)> Shapes =
        from n in Gen.Int[1, 4]
        from m in Gen.Int[1, 5]
        from k in Gen.Int[1, 3]
        from seed in Gen.ULong
        select (n, m, k, seed);

    /// <summary>|x| ≥ 0.1 everywhere, so differences never straddle a kink at 0 (or at ±0.05).</summary>
    private Tensor AwayFromZero(int[] shape, ulong seed)
    {
        using var raw = backend.Random(shape, seed);
        using var sign = Greater(raw, 0.0) - Less(raw, 0.0);
        return raw + sign * 0.1;
    }

    private static void Check<TLayer>(TLayer layer, Tensor x) where TLayer : ILayer<TLayer>
    {
        var report = GradCheck.CheckLayer(layer, x);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Add_subtract_multiply_divide_with_broadcasting() => Shapes.Sample((n, m, _, seed) =>
        Check(new BroadcastArithmetic(backend.Random([m], seed)), backend.Random([n, m], seed + 1)), iter: 30);

    [Fact]
    public void Pow_with_a_tensor_and_a_number_exponent() => Shapes.Sample((n, m, _, seed) =>
        Check(new Powers(backend.Random([m], seed)), backend.Random([n, m], seed + 1)), iter: 30);

    [Fact]
    public void Maximum_and_minimum() => Shapes.Sample((n, m, _, seed) =>
    {
        using var x = AwayFromZero([n, m], seed + 1);
        // P = 0.02 and the constants ±0.05 are far from every |x| ≥ 0.1: no ties to straddle.
        Check(new Extremes(backend.Full([m], 0.02, DType.Float64)), x);
    }, iter: 30);

    [Fact]
    public void Exp_log_sqrt_tanh_sigmoid_square_reciprocal_negate() => Shapes.Sample((n, m, _, seed) =>
        Check(new Smooth(), backend.Random([n, m], seed, 2)), iter: 30);

    [Fact]
    public void Abs_where_relu_away_from_their_kinks() => Shapes.Sample((n, m, _, seed) =>
        Check(new Kinks(backend.Random([m], seed)), AwayFromZero([n, m], seed + 1)), iter: 30);

    [Fact]
    public void Sum_mean_max_over_axes_and_everything() => Shapes.Sample((n, m, _, seed) =>
        Check(new Reductions(), backend.Random([n, m], seed, 2)), iter: 30);

    [Fact]
    public void Reductions_that_keep_their_axes() => Shapes.Sample((n, m, k, seed) =>
        Check(new KeptReductions(), backend.Random([n, m, k], seed, 2)), iter: 30);

    [Fact]
    public void Softmax_and_log_softmax_along_either_axis() => Shapes.Sample((n, m, _, seed) =>
        Check(new Normalisers(), backend.Random([n, m], seed, 2)), iter: 30);

    [Fact]
    public void MatMul_with_a_broadcast_batch() => Shapes.Sample((n, m, k, seed) =>
        Check(new BatchedProduct(backend.Random([m, m], seed)), backend.Random([k, n, m], seed + 1)), iter: 30);

    [Fact]
    public void Transpose_broadcast_reshape_flatten() => Shapes.Sample((n, m, _, seed) =>
        Check(new Views(backend.Random([m], seed)), backend.Random([n, m], seed + 1)), iter: 30);
}
