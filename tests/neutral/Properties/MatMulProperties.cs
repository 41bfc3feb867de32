using CsCheck;
using static Grad.Ops;

namespace Grad.Tests.Property;

public class MatMulProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int M, int K, int N, double[] A, double[] B, double[] C)> Matrices =
        from m in Gen.Int[1, 40]
        from k in Gen.Int[1, 40]
        from n in Gen.Int[1, 40]
        from a in Generators.Values(m * k)
        from b in Generators.Values(k * n)
        from c in Generators.Values(k * n)
        select (m, k, n, a, b, c);

    [Fact]
    public void Transpose_of_a_product_is_the_product_of_transposes() =>
        Matrices.Sample((m, k, n, av, bv, _) =>
        {
            using var a = backend.FromArray(av, m, k);
            using var b = backend.FromArray(bv, k, n);
            using var ab = MatMul(a, b);
            using var abT = ab.T;
            using var bTaT = MatMul(b.T, a.T);
            Approx.Equal(abT.ToArray<double>(), bTaT.ToArray<double>(), 1e-12, "(AB)ᵀ = BᵀAᵀ");
        });

    [Fact]
    public void Product_distributes_over_addition() =>
        Matrices.Sample((m, k, n, av, bv, cv) =>
        {
            using var a = backend.FromArray(av, m, k);
            using var b = backend.FromArray(bv, k, n);
            using var c = backend.FromArray(cv, k, n);
            using var left = MatMul(a, b + c);
            using var right = MatMul(a, b) + MatMul(a, c);
            Approx.Equal(left.ToArray<double>(), right.ToArray<double>(), 1e-11, "A(B+C) = AB + AC");
        });

    [Fact]
    public void Float32_product_is_close_to_float64() =>
        Matrices.Sample((m, k, n, av, bv, _) =>
        {
            using var a = backend.FromArray(av, m, k);
            using var b = backend.FromArray(bv, k, n);
            using var wide = MatMul(a, b);
            using var a32 = a.To(DType.Float32);
            using var b32 = b.To(DType.Float32);
            using var narrow = MatMul(a32, b32);
            // Error grows like √k · ulp · |a||b|; values are at most 3 in magnitude.
            Approx.Equal(wide.ToArray<double>(), TestTensors.Values(narrow), 2e-6 * Math.Sqrt(k) * 9, "float32 GEMM");
        });
}
