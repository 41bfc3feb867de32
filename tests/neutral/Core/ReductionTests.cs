using Grad.Backends;
using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

public class ReductionTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    /// <summary>Brute force: every input element lands in the output cell its kept axes name.</summary>
    private static double[] Reference(ReduceOp op, double[] x, int[] shape, int[] axes, out int[] keptShape)
    {
        keptShape = shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        int count = keptShape.Aggregate(1, (a, b) => a * b);
        int reduced = axes.Aggregate(1, (a, i) => a * shape[i]);
        var acc = Enumerable.Repeat(op == ReduceOp.Max ? double.NegativeInfinity : 0.0, count).ToArray();
        for (int flat = 0; flat < x.Length; flat++)
        {
            int target = BroadcastFlat(Unravel(flat, shape), keptShape);
            acc[target] = op == ReduceOp.Max ? Math.Max(acc[target], x[flat]) : acc[target] + x[flat];
        }
        return op == ReduceOp.Mean ? acc.Select(v => v / reduced).ToArray() : acc;
    }

    public static TheoryData<ReduceOp, DType, int[], int[]> Cases()
    {
        var data = new TheoryData<ReduceOp, DType, int[], int[]>();
        var shapes = new (int[] Shape, int[] Axes)[]
        {
            ([5], [0]), ([3, 4], [0]), ([3, 4], [1]), ([3, 4], [0, 1]), ([2, 3, 4], [1]),
            ([2, 3, 4], [0, 2]), ([4, 3, 2, 5], [0, 2, 3]), ([4, 3, 2, 5], [1, 2]), ([2, 1, 3], [1]),
        };
        foreach (var op in Enum.GetValues<ReduceOp>())
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        foreach (var (shape, axes) in shapes)
            data.Add(op, dtype, shape, axes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reductions_match_brute_force(ReduceOp op, DType dtype, int[] shape, int[] axes)
    {
        using var x = backend.Make(dtype, Ramp(shape.Aggregate(1, (a, b) => a * b), 3), shape);
        var expected = Reference(op, Values(x), shape, axes, out var keptShape);

        using var kept = Ops.Reduce(op, x, axes, keepDims: true);
        Assert.Equal(new Shape(keptShape), kept.Shape);
        AssertClose(expected, Values(kept), dtype == DType.Float32 ? 1e-5 : 1e-13);

        using var dropped = Ops.Reduce(op, x, axes, keepDims: false);
        Assert.Equal(new Shape(shape.Where((_, i) => !axes.Contains(i)).ToArray()), dropped.Shape);
        AssertClose(expected, Values(dropped), dtype == DType.Float32 ? 1e-5 : 1e-13);
    }

    [Fact]
    public void Whole_tensor_reductions_give_scalars_and_negative_axes_resolve()
    {
        using var x = backend.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var sum = Ops.Sum(x);
        using var mean = Ops.Mean(x);
        using var max = Ops.Max(x);
        using var last = Ops.Sum(x, axis: -1);
        Assert.Equal(Shape.Scalar, sum.Shape);
        Assert.Equal(21, sum.Item());
        Assert.Equal(3.5, mean.Item());
        Assert.Equal(6, max.Item());
        Assert.Equal(new double[] { 6, 15 }, last.ToArray<double>());
    }

    [Fact]
    public void Reductions_of_strided_views_follow_the_view()
    {
        using var x = backend.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var t = x.T;
        using var s = Ops.Sum(t, axis: 1);
        Assert.Equal(new double[] { 5, 7, 9 }, s.ToArray<double>());
    }

    [Fact]
    public void Empty_axes_sum_to_zero_and_mean_to_nan()
    {
        using var x = backend.Zeros([0, 3], DType.Float64);
        using var s = Ops.Sum(x, axis: 0);
        using var m = Ops.Mean(x, axis: 0);
        Assert.Equal(new double[] { 0, 0, 0 }, s.ToArray<double>());
        Assert.All(m.ToArray<double>(), v => Assert.True(double.IsNaN(v)));
        var e = Assert.Throws<ArgumentException>(() => Ops.Max(x, axis: 0));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Repeated_or_out_of_range_axes_are_errors()
    {
        using var x = backend.Zeros([2, 3]);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Ops.Sum(x, [1, -1])).Message);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Mean(x, axis: 3));
        Assert.Contains("axis 3", e.Message);
        Assert.Contains("rank 2", e.Message);
    }

    [Theory]
    [MemberData(nameof(FloatTypes), MemberType = typeof(TestTensors))]
    public void ArgMax_returns_the_first_maximum_as_int32(DType dtype)
    {
        using var x = backend.Make(dtype, [1, 5, 5, 0, 9, 2, 9, 1, 3, 3, 3, 3], 3, 4);
        using var rows = Ops.ArgMax(x, axis: 1);
        using var cols = Ops.ArgMax(x, axis: 0, keepDims: true);
        Assert.Equal(DType.Int32, rows.DType);
        Assert.Equal(new[] { 1, 0, 0 }, rows.ToArray<int>());
        Assert.Equal(new Shape(1, 4), cols.Shape);
        Assert.Equal(new[] { 1, 0, 1, 2 }, cols.ToArray<int>());
    }
}
