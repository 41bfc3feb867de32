using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

/// <summary>The MatMul front end: NumPy's matmul shape rules over the backend's GEMM.</summary>
public class MatMulTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static double[] Naive(double[] a, double[] b, int batchA, int batchB, int m, int k, int n)
    {
        int batch = Math.Max(batchA, batchB);
        var c = new double[batch * m * n];
        for (int s = 0; s < batch; s++)
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
                sum += a[(batchA == 1 ? 0 : s) * m * k + i * k + p] * b[(batchB == 1 ? 0 : s) * k * n + p * n + j];
            c[s * m * n + i * n + j] = sum;
        }
        return c;
    }

    [Theory]
    [MemberData(nameof(FloatTypes), MemberType = typeof(TestTensors))]
    public void Batched_product_broadcasts_the_batch(DType dtype)
    {
        using var a = backend.Make(dtype, Ramp(4 * 3 * 5, 1), 4, 3, 5);
        using var b = backend.Make(dtype, Ramp(5 * 2, 2), 5, 2);
        using var c = Ops.MatMul(a, b);
        Assert.Equal(new Shape(4, 3, 2), c.Shape);
        AssertClose(Naive(Values(a), Values(b), 4, 1, 3, 5, 2), Values(c), 1e-5);
    }

    [Fact]
    public void Partly_broadcast_batch_axes_expand()
    {
        using var a = backend.Make(DType.Float64, Ramp(2 * 1 * 3 * 4, 1), 2, 1, 3, 4);
        using var b = backend.Make(DType.Float64, Ramp(3 * 4 * 2, 2), 3, 4, 2);
        using var c = Ops.MatMul(a, b);
        Assert.Equal(new Shape(2, 3, 3, 2), c.Shape);
        var av = Values(a);
        var bv = Values(b);
        var cv = Values(c);
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
        {
            var expected = Naive(av[(i * 12)..(i * 12 + 12)], bv[(j * 8)..(j * 8 + 8)], 1, 1, 3, 4, 2);
            AssertClose(expected, cv[((i * 3 + j) * 6)..((i * 3 + j) * 6 + 6)], 1e-13);
        }
    }

    [Fact]
    public void Vectors_drop_their_axis()
    {
        using var m = backend.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var v = backend.FromArray(new double[] { 1, 0, -1 }, 3);
        using var w = backend.FromArray(new double[] { 1, 1 }, 2);
        using var mv = Ops.MatMul(m, v);
        using var wm = Ops.MatMul(w, m);
        Assert.Equal(new Shape(2), mv.Shape);
        Assert.Equal(new double[] { -2, -2 }, mv.ToArray<double>());
        Assert.Equal(new double[] { 5, 7, 9 }, wm.ToArray<double>());
    }

    [Fact]
    public void Transposed_and_sliced_views_multiply_like_their_values()
    {
        using var x = backend.Make(DType.Float64, Ramp(6 * 5, 3), 6, 5);
        using var w = backend.Make(DType.Float64, Ramp(4 * 5, 4), 4, 5);
        using var xt = x.T;                    // (5, 6)
        using var rows = x.Slice(0, 1, 4);      // (3, 5), offset view
        using var viaView = Ops.MatMul(rows, w.T);
        using var wt = w.T;
        using var dense = wt.Contiguous();
        using var viaCopy = Ops.MatMul(rows.Contiguous(), dense);
        AssertClose(Values(viaCopy), Values(viaView), 1e-14);
        using var gram = Ops.MatMul(xt, x);     // (5, 5), left operand transposed in place
        Assert.Equal(new Shape(5, 5), gram.Shape);
        AssertClose(Naive(Values(xt.Contiguous()), Values(x), 1, 1, 5, 6, 5), Values(gram), 1e-13);
    }

    [Fact]
    public void Inner_dimension_mismatch_names_both_shapes()
    {
        using var a = backend.Zeros([2, 3]);
        using var b = backend.Zeros([4, 5]);
        var e = Assert.Throws<ArgumentException>(() => Ops.MatMul(a, b));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 5)", e.Message);
    }
}
