using CsCheck;
using static Grad.Ops;

namespace Grad.Tests.Property;

public class SoftmaxProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int[] Shape, double[] Values, int Axis, double Shift)> Cases =
        from t in Generators.Tensor
        from axis in Gen.Int[0, t.Shape.Length - 1]
        from shift in Gen.Double[-50, 50]
        select (t.Shape, t.Values, axis, shift);

    [Fact]
    public void Softmax_is_a_distribution_invariant_to_shifts() =>
        Cases.Sample((shape, values, axis, shift) =>
        {
            using var x = backend.FromArray(values, shape);
            using var shifted = x + shift;
            using var p = Softmax(x, axis);
            using var q = Softmax(shifted, axis);
            using var total = Sum(p, axis);
            Assert.All(p.ToArray<double>(), v => Assert.InRange(v, 0, 1));
            Approx.Equal(Enumerable.Repeat(1.0, total.ElementCount).ToArray(), total.ToArray<double>(), 1e-12, "row sums");
            Approx.Equal(p.ToArray<double>(), q.ToArray<double>(), 1e-12, "shift invariance");
        });

    [Fact]
    public void LogSoftmax_is_the_log_of_softmax() =>
        Cases.Sample((shape, values, axis, _) =>
        {
            using var x = backend.FromArray(values, shape);
            using var logP = LogSoftmax(x, axis);
            using var p = Softmax(x, axis);
            using var expLogP = Exp(logP);
            Approx.Equal(p.ToArray<double>(), expLogP.ToArray<double>(), 1e-12, "exp(log_softmax)");
        });
}
