using Grad.Layers;

namespace Grad.Tests.Layers;

/// <summary>A hand-written [Backward] replaces the derivation in training; the derivation stays
/// beside it, and the two agree.</summary>
public class ManualBackwardTests(BackendFixture backend) : IClassFixture<BackendFixture>
{

    private BatchNormManual Layer(int features) => new(backend.Random([features], 1), backend.Random([features], 2),
        backend.Zeros([features], DType.Float64), backend.Ones([features], DType.Float64));

    [Fact]
    public void Hand_written_and_derived_batch_norm_backwards_agree()
    {
        var bn = Layer(4);
        using var x = backend.Random([7, 4], 3) * 2.0 + 0.5;
        using var g = backend.Random([7, 4], 4);
        var (_, tape, _) = bn.Train(x);
        using (tape)
        {
            var (manualDx, manual) = bn.Backward(tape, g);
            var (derivedDx, derived) = bn.DerivedBackward(tape, g);
            TestTensors.AssertClose(derivedDx.ToArray<double>(), manualDx.ToArray<double>(), 1e-12);
            TestTensors.AssertClose(derived.Gamma.ToArray<double>(), manual.Gamma.ToArray<double>(), 1e-12);
            TestTensors.AssertClose(derived.Beta.ToArray<double>(), manual.Beta.ToArray<double>(), 1e-12);
        }
    }

    [Fact]
    public void The_hand_written_backward_is_what_training_and_the_gradient_checker_use()
    {
        var report = GradCheck.CheckLayer(Layer(3), backend.Random([5, 3], 5) * 3.0);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void The_gradient_checker_catches_a_wrong_backward()
    {
        // d(x²)/dx claimed to be x instead of 2x: the check must fail and point at it.
        using var x = backend.FromArray(new double[] { 0.5, -1.5, 2 }, 3);
        var report = GradCheck.Check(v => Ops.Square(v[0]), (v, c) => [v[0] * c], [new NamedTensor("x", x)]);
        Assert.False(report.Passed);
        Assert.Equal("x", report.Worst!.Tensor);
        Assert.Equal(2 * report.Worst.Analytic, report.Worst.Numeric, 6);
        Assert.Throws<GradCheckException>(() => report.EnsurePassed());
    }

    [Fact]
    public void The_gradient_checker_refuses_float32()
    {
        using var x = backend.Zeros([2]);
        var e = Assert.Throws<ArgumentException>(() => GradCheck.Check(v => v[0], (v, c) => [c], [new NamedTensor("x", x)]));
        Assert.Contains("float64", e.Message);
    }
}
