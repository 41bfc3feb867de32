using CsCheck;
using static Grad.Ops;

namespace Grad.Tests.Property;

public class ReductionProperties(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Gen<(int[] Shape, double[] Values, int[] Axes)> WithAxes =
        from t in Generators.Tensor
        from picks in Gen.Bool.Array[t.Shape.Length]
        select (t.Shape, t.Values, Enumerable.Range(0, t.Shape.Length).Where(i => picks[i]).DefaultIfEmpty(0).ToArray());

    [Fact]
    public void Summing_axes_in_any_grouping_gives_the_total() =>
        WithAxes.Sample((shape, values, axes) =>
        {
            using var x = backend.FromArray(values, shape);
            using var partial = Sum(x, axes, keepDims: true);
            using var total = Sum(partial);
            Assert.Equal(values.Sum(), total.Item(), 10);
        });

    [Fact]
    public void Keeping_dims_changes_the_shape_not_the_values() =>
        WithAxes.Sample((shape, values, axes) =>
        {
            using var x = backend.FromArray(values, shape);
            foreach (var reduce in new Func<Tensor, int[], bool, Tensor>[] { Sum, Mean, Max })
            {
                using var kept = reduce(x, axes, true);
                using var dropped = reduce(x, axes, false);
                Assert.Equal(kept.ToArray<double>(), dropped.ToArray<double>());
                Assert.Equal(kept.Rank, x.Rank);
                Assert.Equal(dropped.Rank, x.Rank - axes.Length);
            }
        });

    [Fact]
    public void Mean_is_sum_over_count_and_max_bounds_every_element() =>
        WithAxes.Sample((shape, values, axes) =>
        {
            using var x = backend.FromArray(values, shape);
            int count = axes.Aggregate(1, (n, a) => n * shape[a]);
            using var mean = Mean(x, axes, keepDims: true);
            using var sum = Sum(x, axes, keepDims: true);
            Approx.Equal(sum.ToArray<double>().Select(v => v / count).ToArray(), mean.ToArray<double>(), 1e-12, "mean");
            using var max = Max(x, axes, keepDims: true);
            using var above = x > max;
            Assert.Equal(0, Sum(above).Item());
        });

    private static readonly Gen<(int[] Shape, double[] Values, int Axis)> WithAxis =
        from t in Generators.Tensor
        from axis in Gen.Int[0, t.Shape.Length - 1]
        select (t.Shape, t.Values, axis);

    [Fact]
    public void ArgMax_points_at_a_maximum() =>
        WithAxis.Sample((shape, values, axis) =>
        {
            using var x = backend.FromArray(values, shape);
            using var index = ArgMax(x, axis, keepDims: true);
            using var max = Max(x, axis, keepDims: true);
            using var isMax = Equal(x, max);
            var idx = index.ToArray<int>();
            var hits = isMax.ToArray<double>();
            int inner = shape[(axis + 1)..].Aggregate(1, (a, b) => a * b), n = shape[axis];
            for (int cell = 0; cell < idx.Length; cell++)
            {
                int outer = cell / inner, i = cell % inner;
                Assert.Equal(1, hits[(outer * n + idx[cell]) * inner + i]);
            }
        });
}
