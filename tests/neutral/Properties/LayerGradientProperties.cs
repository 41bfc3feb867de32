using CsCheck;
using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Property;

/// <summary>Every built-in layer, and layers declared only in this project, against central
/// finite differences in float64, on random shapes and values; CsCheck shrinks failures.</summary>
public class LayerGradientProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{

    private static readonly Gen<(int Batch, int In, int Out, ulong Seed)> Dense =
        from batch in Gen.Int[1, 5]
        from inFeatures in Gen.Int[1, 6]
        from outFeatures in Gen.Int[1, 6]
        from seed in Gen.ULong
        select (batch, inFeatures, outFeatures, seed);

    private static void Passes(GradCheckReport report) => Assert.True(report.Passed, report.ToString());

    [Fact]
    public void Linear() => Dense.Sample((n, i, o, seed) =>
        Passes(GradCheck.CheckLayer(new Linear(backend.Random([o, i], seed), backend.Random([o], seed + 1)), backend.Random([n, i], seed + 2))), iter: 40);

    [Fact]
    public void ReLU_away_from_the_kink() => Dense.Sample((n, i, _, seed) =>
    {
        using var raw = backend.Random([n, i], seed);
        using var x = raw + Sign(raw) * 0.1; // |x| ≥ 0.1: central differences never straddle 0
        Passes(GradCheck.CheckLayer(new ReLU(), x));
    }, iter: 40);

    [Fact]
    public void Softmax() => Dense.Sample((n, i, _, seed) =>
        Passes(GradCheck.CheckLayer(new Grad.Layers.Softmax(), backend.Random([n, i], seed, 2))), iter: 40);

    [Fact]
    public void BatchNorm_in_training_mode() =>
        (from n in Gen.Int[2, 6] from c in Gen.Int[1, 4] from seed in Gen.ULong select (n, c, seed)).Sample((n, c, seed) =>
        {
            var layer = new BatchNorm(backend.Random([c], seed, 1), backend.Random([c], seed + 1), backend.Zeros([c], DType.Float64), backend.Ones([c], DType.Float64));
            Passes(GradCheck.CheckLayer(layer, backend.Random([n, c], seed + 2, 2)));
        }, iter: 40);

    [Fact]
    public void BatchNorm2d_in_training_mode() =>
        (from n in Gen.Int[2, 3] from c in Gen.Int[1, 3] from h in Gen.Int[1, 3] from w in Gen.Int[1, 3] from seed in Gen.ULong
         select (n, c, h, w, seed)).Sample((n, c, h, w, seed) =>
        {
            var layer = new BatchNorm2d(backend.Random([c], seed, 1), backend.Random([c], seed + 1), backend.Zeros([c], DType.Float64), backend.Ones([c], DType.Float64));
            Passes(GradCheck.CheckLayer(layer, backend.Random([n, c, h, w], seed + 2, 2)));
        }, iter: 25);

    [Fact]
    public void Conv2d() =>
        (from n in Gen.Int[1, 2] from c in Gen.Int[1, 3] from o in Gen.Int[1, 3] from size in Gen.Int[3, 6]
         from k in Gen.Int[1, 3] from stride in Gen.Int[1, 2] from padding in Gen.Int[0, 1] from seed in Gen.ULong
         select (n, c, o, size, k, stride, padding, seed)).Sample((n, c, o, size, k, stride, padding, seed) =>
        {
            var layer = new Grad.Layers.Conv2d(backend.Random([o, c, k, k], seed), backend.Random([o], seed + 1), stride, padding);
            Passes(GradCheck.CheckLayer(layer, backend.Random([n, c, size, size + 1], seed + 2)));
        }, iter: 25);

    [Fact]
    public void MaxPool2d() =>
        (from n in Gen.Int[1, 2] from c in Gen.Int[1, 3] from size in Gen.Int[3, 7] from kernel in Gen.Int[2, 3]
         from stride in Gen.Int[1, 2] from padding in Gen.Int[0, 1] from seed in Gen.ULong
         select (n, c, size, kernel, stride, padding, seed)).Sample((n, c, size, kernel, stride, padding, seed) =>
            Passes(GradCheck.CheckLayer(new Grad.Layers.MaxPool2d(kernel, stride, padding), backend.Random([n, c, size, size], seed))), iter: 25);

    [Fact]
    public void Flatten() =>
        (from n in Gen.Int[1, 3] from c in Gen.Int[1, 3] from h in Gen.Int[1, 3] from seed in Gen.ULong select (n, c, h, seed)).Sample((n, c, h, seed) =>
            Passes(GradCheck.CheckLayer(new Grad.Layers.Flatten(), backend.Random([n, c, h], seed))), iter: 20);

    [Fact]
    public void CrossEntropy_over_logits() =>
        (from n in Gen.Int[1, 5] from k in Gen.Int[2, 6] from seed in Gen.ULong select (n, k, seed)).Sample((n, k, seed) =>
        {
            var rng = new Rng(seed);
            using var labels = backend.FromArray(Enumerable.Range(0, n).Select(_ => rng.NextInt(k)).ToArray(), n);
            using var targets = OneHot(labels, k, DType.Float64);
            var loss = new CrossEntropy();
            Passes(GradCheck.Check(
                v => loss.Train(v[0], targets).Output,
                (v, c) =>
                {
                    var (_, tape, _) = loss.Train(v[0], targets);
                    using (tape) return [loss.Backward(tape, c).dlogits];
                },
                [new NamedTensor("logits", backend.Random([n, k], seed + 1, 3))]));
        }, iter: 40);

    [Fact]
    public void LeakyReLU_declared_in_the_tests() => Dense.Sample((n, i, _, seed) =>
    {
        using var raw = backend.Random([n, i], seed);
        using var x = raw + Sign(raw) * 0.1;
        Passes(GradCheck.CheckLayer(new LeakyReLU(0.2), x));
    }, iter: 30);

    [Fact]
    public void TanhGate_declared_in_the_tests() => Dense.Sample((n, i, o, seed) =>
        Passes(GradCheck.CheckLayer(new TanhGate(backend.Random([o, i], seed), backend.Random([o, i], seed + 1)), backend.Random([n, i], seed + 2))), iter: 30);

    [Fact]
    public void LayerNorm_declared_in_the_tests() => Dense.Sample((n, i, _, seed) =>
        Passes(GradCheck.CheckLayer(new LayerNorm(backend.Random([i + 1], seed), backend.Random([i + 1], seed + 1)), backend.Random([n, i + 1], seed + 2, 2))), iter: 30);

    [Fact]
    public void Swish_declared_in_the_tests() => Dense.Sample((n, i, _, seed) =>
        Passes(GradCheck.CheckLayer(new Swish(backend.Random([i], seed)), backend.Random([n, i], seed + 1))), iter: 30);

    [Fact]
    public void A_primitive_declared_in_the_tests_is_differentiated_by_its_own_rule() => Dense.Sample((n, i, o, seed) =>
        Passes(GradCheck.CheckLayer(new SoftplusLinear(backend.Random([o, i], seed)), backend.Random([n, i], seed + 1, 3))), iter: 30);

    [Fact]
    public void A_composite_of_layers_is_differentiated_through_them() => Dense.Sample((n, i, o, seed) =>
    {
        var mlp = new TinyMlp(new Linear(backend.Random([4, i], seed), backend.Random([4], seed + 1)), new ReLU(), new Linear(backend.Random([o, 4], seed + 2), backend.Random([o], seed + 3)));
        Passes(GradCheck.CheckLayer(mlp, backend.Random([n, i], seed + 4)));
    }, iter: 30);

    private static Tensor Sign(Tensor x) => Greater(x, 0.0) - Less(x, 0.0);
}
