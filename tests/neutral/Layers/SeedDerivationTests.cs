using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Layers;

/// <summary>
/// The practical's hand-derived backward passes, written out plainly here, against what the
/// generator emits for the same layers. Random shapes that are not all equal and a random
/// upstream gradient, in float64, so a wrong sign, a missing 1/B or a transposed W would show.
/// </summary>
public class SeedDerivationTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private const double Tolerance = 1e-12;


    private static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        TestTensors.AssertClose(expected.ToArray<double>(), actual.ToArray<double>(), Tolerance);
    }

    [Fact]
    public void Softmax_cross_entropy_gives_softmax_minus_targets_over_B()
    {
        const int batch = 5, classes = 7;
        using var logits = backend.Random([batch, classes], 1);
        using var labels = backend.FromArray(new[] { 0, 3, 6, 3, 1 }, batch);
        using var targets = OneHot(labels, classes, DType.Float64);
        using var g = backend.Scalar(0.7, DType.Float64);

        var loss = new CrossEntropy();
        var (_, tape, _) = loss.Train(logits, targets);
        using (tape)
        {
            var (dLogits, _) = loss.Backward(tape, g);
            using var expected = g * (Ops.Softmax(logits, -1) - targets) / batch; // (softmax(x) − t) / B
            Same(expected, dLogits);
        }
    }

    [Fact]
    public void ReLU_passes_the_gradient_where_the_input_is_positive()
    {
        using var x = backend.Random([4, 6], 2);
        using var g = backend.Random([4, 6], 3);
        var relu = new ReLU();
        var (_, tape, _) = relu.Train(x);
        var (dx, _) = relu.Backward(tape, g);
        using var expected = g * (x > 0);                              // g ⊙ 1(x > 0)
        Same(expected, dx);
    }

    [Fact]
    public void Linear_gives_gW_gTx_and_the_batch_sum()
    {
        const int batch = 6, inFeatures = 4, outFeatures = 3;
        using var x = backend.Random([batch, inFeatures], 4);
        var linear = new Linear(backend.Random([outFeatures, inFeatures], 5), backend.Random([outFeatures], 6));
        using var g = backend.Random([batch, outFeatures], 7);
        var (_, tape, _) = linear.Train(x);
        var (dx, grads) = linear.Backward(tape, g);

        using var expectedDx = MatMul(g, linear.W);                    // dx = g W
        using var expectedDw = MatMul(g.T, x);                         // dW = gᵀ x
        using var expectedDb = Sum(g, axis: 0);                        // db = Σ_batch g
        Same(expectedDx, dx);
        Same(expectedDw, grads.W);
        Same(expectedDb, grads.B);
    }

    [Fact]
    public void BatchNorm_gives_the_compact_formula()
    {
        const int m = 8, features = 5;
        const double eps = 1e-5;
        using var x = backend.Random([m, features], 8) * 3.0 + 1.0;
        var bn = new BatchNorm(backend.Random([features], 9), backend.Random([features], 10),
            backend.Zeros([features], DType.Float64), backend.Ones([features], DType.Float64), eps);
        using var g = backend.Random([m, features], 11);
        var (_, tape, _) = bn.Train(x);
        var (dx, grads) = bn.Backward(tape, g);

        // The practical's derivation, with biased variance in the forward.
        using var mu = Mean(x, axis: 0);
        using var xc = x - mu;
        using var variance = Mean(xc * xc, axis: 0);
        using var sigma = Sqrt(variance + eps);
        using var xhat = xc / sigma;
        using var dxhat = g * bn.Gamma;                                                     // dx̂ = g γ
        using var expectedDx = (m * dxhat - Sum(dxhat, axis: 0) - xhat * Sum(dxhat * xhat, axis: 0)) / (m * sigma);
        using var expectedDgamma = Sum(g * xhat, axis: 0);                                  // dγ = Σ g x̂
        using var expectedDbeta = Sum(g, axis: 0);                                          // dβ = Σ g
        Same(expectedDx, dx);
        Same(expectedDgamma, grads.Gamma);
        Same(expectedDbeta, grads.Beta);
    }

    [Fact]
    public void BatchNorm_tracks_running_statistics_like_pytorch_and_eval_uses_them()
    {
        using var x = backend.FromArray(new double[] { 1, 10, 3, 20, 5, 60 }, 3, 2);
        var bn = backend.On(BatchNorm.Create(2, DType.Float64));
        var (_, tape, next) = bn.Train(x);
        tape.Dispose();
        // mean (3, 30); unbiased variance (4, 700); momentum 0.1 from (0, 1).
        TestTensors.AssertClose([0.3, 3.0], next.RunningMean.ToArray<double>(), 1e-12);
        TestTensors.AssertClose([0.9 + 0.4, 0.9 + 70.0], next.RunningVar.ToArray<double>(), 1e-12);
        Assert.Equal(new double[] { 0, 0 }, bn.RunningMean.ToArray<double>()); // the original layer is unchanged

        using var y = next.Eval(x);
        var expected = new[] { 1, 10, 3, 20, 5, 60 }.Select((v, i) =>
            (v - (i % 2 == 0 ? 0.3 : 3.0)) / Math.Sqrt((i % 2 == 0 ? 1.3 : 70.9) + 1e-5)).ToArray();
        TestTensors.AssertClose(expected, y.ToArray<double>(), 1e-12);
    }
}
