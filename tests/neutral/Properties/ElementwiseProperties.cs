using CsCheck;
using static Grad.Ops;

namespace Grad.Tests.Property;

public class ElementwiseProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int[] A, double[] AV, int[] B, double[] BV)> Operands =
        from pair in Generators.BroadcastPair
        from av in Generators.Values(Generators.Count(pair.A))
        from bv in Generators.Values(Generators.Count(pair.B))
        select (pair.A, av, pair.B, bv);

    [Fact]
    public void Addition_and_multiplication_commute_under_broadcasting() =>
        Operands.Sample((aShape, av, bShape, bv) =>
        {
            using var a = backend.FromArray(av, aShape);
            using var b = backend.FromArray(bv, bShape);
            using var ab = a + b;
            using var ba = b + a;
            using var amb = a * b;
            using var bma = b * a;
            Assert.Equal(ab.Shape, ba.Shape);
            Assert.Equal(ab.ToArray<double>(), ba.ToArray<double>());
            Assert.Equal(amb.ToArray<double>(), bma.ToArray<double>());
        });

    [Fact]
    public void Subtraction_is_addition_of_the_negation() =>
        Operands.Sample((aShape, av, bShape, bv) =>
        {
            using var a = backend.FromArray(av, aShape);
            using var b = backend.FromArray(bv, bShape);
            using var difference = a - b;
            using var negated = -b;
            using var sum = a + negated;
            Assert.Equal(difference.ToArray<double>(), sum.ToArray<double>());
        });

    [Fact]
    public void Float32_kernels_agree_with_float64() =>
        Operands.Sample((aShape, av, bShape, bv) =>
        {
            using var a = backend.FromArray(av, aShape);
            using var b = backend.FromArray(bv, bShape);
            using var a32 = a.To(DType.Float32);
            using var b32 = b.To(DType.Float32);
            using var wide = Exp(a) * b / (Abs(b) + 1.0) - Maximum(a, b);
            using var narrow = Exp(a32) * b32 / (Abs(b32) + 1.0) - Maximum(a32, b32);
            Approx.Equal(TestTensors.Values(wide), TestTensors.Values(narrow), 1e-5, "float32 vs float64");
        });

    [Fact]
    public void Relu_is_the_mask_times_the_input() =>
        Generators.Tensor.Sample((shape, values) =>
        {
            using var x = backend.FromArray(values, shape);
            using var relu = Relu(x);
            using var mask = x > 0.0;
            using var masked = x * mask;
            using var zero = backend.Zeros([1], DType.Float64);
            using var where = Where(mask, x, zero);
            Assert.Equal(relu.ToArray<double>(), masked.ToArray<double>());
            Assert.Equal(relu.ToArray<double>(), where.ToArray<double>());
        });
}
