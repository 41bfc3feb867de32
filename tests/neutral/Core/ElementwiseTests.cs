using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

public class ElementwiseTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Reference)> Binary = new()
    {
        ["Add"] = (Ops.Add, (a, b) => a + b),
        ["Subtract"] = (Ops.Subtract, (a, b) => a - b),
        ["Multiply"] = (Ops.Multiply, (a, b) => a * b),
        ["Divide"] = (Ops.Divide, (a, b) => a / b),
        ["Pow"] = (Ops.Pow, Math.Pow),
        ["Maximum"] = (Ops.Maximum, Math.Max),
        ["Minimum"] = (Ops.Minimum, Math.Min),
        ["Equal"] = (Ops.Equal, (a, b) => a == b ? 1 : 0),
        ["NotEqual"] = (Ops.NotEqual, (a, b) => a != b ? 1 : 0),
        ["Less"] = (Ops.Less, (a, b) => a < b ? 1 : 0),
        ["LessOrEqual"] = (Ops.LessOrEqual, (a, b) => a <= b ? 1 : 0),
        ["Greater"] = (Ops.Greater, (a, b) => a > b ? 1 : 0),
        ["GreaterOrEqual"] = (Ops.GreaterOrEqual, (a, b) => a >= b ? 1 : 0),
    };

    public static TheoryData<string, DType> BinaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in Binary.Keys)
        {
            data.Add(op, DType.Float32);
            data.Add(op, DType.Float64);
        }
        return data;
    }

    /// <summary>Broadcasts shapes a and b by brute force over every output index.</summary>
    private static double[] BroadcastReference(Func<double, double, double> reference, double[] a, int[] aShape, double[] b, int[] bShape, int[] outShape)
    {
        var result = new double[outShape.Aggregate(1, (x, y) => x * y)];
        for (int i = 0; i < result.Length; i++)
        {
            var index = Unravel(i, outShape);
            result[i] = reference(a[BroadcastFlat(index, aShape)], b[BroadcastFlat(index, bShape)]);
        }
        return result;
    }

    public static readonly TheoryData<int[], int[]> ShapePairs = new()
    {
        { [2, 3], [2, 3] },
        { [2, 3], [] },
        { [], [4] },
        { [3, 1], [1, 4] },
        { [2, 3, 4], [3, 1] },
        { [2, 1, 5], [4, 1] },
        { [4, 1, 3], [1, 2, 3] },
        { [1], [3, 2] },
        { [0, 2], [1, 2] },
    };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_ops_match_the_reference_under_broadcasting(string op, DType dtype)
    {
        foreach (var row in ShapePairs)
        {
            var (aShape, bShape) = ((int[])row[0], (int[])row[1]);
            var outShape = Broadcasting.Shape("test", new Shape(aShape), new Shape(bShape)).Dims.ToArray();
            var a = Ramp(aShape.Aggregate(1, (x, y) => x * y), 1);
            // Positive, partly equal right operand: keeps Pow real and gives the comparisons ties.
            var b = Ramp(bShape.Aggregate(1, (x, y) => x * y), 2).Select((v, i) => i % 3 == 0 && i < a.Length ? a[i] : Math.Abs(v) + 0.5).ToArray();
            if (op == "Pow") a = a.Select(Math.Abs).ToArray();
            using var ta = backend.Make(dtype, a, aShape);
            using var tb = backend.Make(dtype, b, bShape);
            using var result = Binary[op].Op(ta, tb);
            Assert.Equal(new Shape(outShape), result.Shape);
            var expected = BroadcastReference(Binary[op].Reference, Values(ta), aShape, Values(tb), bShape, outShape);
            AssertClose(expected, Values(result), dtype == DType.Float32 ? 1e-6 : 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(FloatTypes), MemberType = typeof(TestTensors))]
    public void Unary_ops_match_math(DType dtype)
    {
        var x = new[] { -3.5, -1, -0.25, 0, 0.5, 2, 7 };
        var cases = new (Func<Tensor, Tensor> Op, Func<double, double> F)[]
        {
            (Ops.Negate, v => -v), (Ops.Exp, Math.Exp), (Ops.Abs, Math.Abs), (Ops.Tanh, Math.Tanh),
            (Ops.Sigmoid, v => 1 / (1 + Math.Exp(-v))), (Ops.Relu, v => Math.Max(v, 0)),
            (Ops.Square, v => v * v), (Ops.Log, Math.Log), (Ops.Sqrt, Math.Sqrt), (Ops.Reciprocal, v => 1 / v),
        };
        using var t = backend.Make(dtype, x, 7);
        foreach (var (op, f) in cases)
        {
            using var y = op(t);
            AssertClose(Values(t).Select(f).ToArray(), Values(y), dtype == DType.Float32 ? 2e-6 : 1e-14);
        }
    }

    [Fact]
    public void Strided_views_are_read_through_their_strides()
    {
        using var m = backend.FromArray(Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), 3, 4);
        using var t = m.T;                       // (4, 3), strides (1, 4)
        using var s = m.Slice(1, 1, 3);          // (3, 2), offset 1
        using var sum = t + t;
        Assert.Equal(new double[] { 0, 8, 16, 2, 10, 18, 4, 12, 20, 6, 14, 22 }, sum.ToArray<double>());
        using var scaled = s * 10.0;
        Assert.Equal(new double[] { 10, 20, 50, 60, 90, 100 }, scaled.ToArray<double>());
        using var e = Ops.Exp(t);
        AssertClose([1, Math.Exp(4), Math.Exp(8)], e.ToArray<double>()[..3], 1e-14);
    }

    [Fact]
    public void Scalar_operators_work_on_both_sides()
    {
        using var x = backend.FromArray(new float[] { 1, 2, 4 }, 3);
        using var a = 1.0 - x;
        using var b = 8.0 / x;
        using var c = x > 1.5;
        Assert.Equal(new float[] { 0, -1, -3 }, a.ToArray<float>());
        Assert.Equal(new float[] { 8, 4, 2 }, b.ToArray<float>());
        Assert.Equal(new float[] { 0, 1, 1 }, c.ToArray<float>());
    }

    [Theory]
    [MemberData(nameof(FloatTypes), MemberType = typeof(TestTensors))]
    public void Where_picks_by_condition_with_broadcasting(DType dtype)
    {
        using var cond = backend.Make(dtype, [1, 0, 0, 1, 1, 0], 2, 3);
        using var a = backend.Make(dtype, [10, 20, 30], 3);
        using var b = backend.Make(dtype, [-1], 1);
        using var y = Ops.Where(cond, a, b);
        Assert.Equal(new double[] { 10, -1, -1, 10, 20, -1 }, Values(y));
    }

    [Fact]
    public void Relu_masks_and_maximum_propagate_nan()
    {
        using var x = backend.FromArray(new double[] { double.NaN, -1, 1 }, 3);
        using var m = Ops.Maximum(x, 0.0);
        var values = m.ToArray<double>();
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(new double[] { 0, 1 }, values[1..]);
    }

    [Fact]
    public void Mixing_dtypes_is_a_clear_error()
    {
        using var a = backend.Zeros([2], DType.Float32);
        using var b = backend.Zeros([2], DType.Float64);
        var e = Assert.Throws<ArgumentException>(() => a * b);
        Assert.Contains("Multiply", e.Message);
        Assert.Contains("float32", e.Message);
        Assert.Contains("float64", e.Message);
    }

    [Fact]
    public void Arithmetic_on_int32_is_refused_with_a_hint()
    {
        using var labels = backend.FromArray(new[] { 1, 2 }, 2);
        var e = Assert.Throws<ArgumentException>(() => labels + labels);
        Assert.Contains("int32", e.Message);
        Assert.Contains(".To(DType.Float32)", e.Message);
    }
}
