using Grad.Backends;
using static Grad.Ops;
using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

/// <summary>Max-pooling and its backward against a naive reference with PyTorch's rules:
/// padding never wins, the first maximum in row-major window order wins, a NaN beats everything.</summary>
public class MaxPoolTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    /// <summary>Kernel, stride, padding and plane width: the narrow planes take the scalar
    /// kernel, the wide ones the vectorised float kernel (rows of eight outputs or more, the
    /// last chunk of a row overlapping the one before).</summary>
    public static TheoryData<int, int, int, int> Geometries() => new()
    {
        { 3, 2, 1, 6 }, // the CNN's
        { 2, 2, 0, 6 },
        { 3, 1, 1, 6 },
        { 3, 2, 1, 37 },
        { 2, 2, 0, 16 },
        { 3, 1, 1, 11 },
        { 3, 3, 0, 29 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_naive_windows(int kernel, int stride, int padding, int width)
    {
        var shape = new Shape(3, 5, 7, width); // 15 planes: a group of eight and a partial one
        var g = new Pool2dGeometry(kernel, stride, padding);
        // Values on a coarse grid so that windows often hold ties.
        var x = Random(shape, 1, v => Math.Round(v * 4) / 4);
        AssertPoolsLikeNaiveWindows(x, shape, g);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_matches_naive_scatter(int kernel, int stride, int padding, int width)
    {
        var shape = new Shape(3, 5, 7, width); // 15 planes: a group of eight and a partial one
        var g = new Pool2dGeometry(kernel, stride, padding);
        var x = Random(shape, 2, v => v);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var xt = backend.Make(dtype, x, shape);
            var (y, indices) = MaxPool2dWithIndices(xt, g);
            using (y)
            using (indices)
            {
                var gradient = Random(y.Shape, 3, v => v);
                var winners = indices.ToArray<int>();
                var expected = new double[shape.ElementCount];
                int outPlane = y.Shape[2] * y.Shape[3], inPlane = 7 * width;
                for (int i = 0; i < gradient.Length; i++) expected[i / outPlane * inPlane + winners[i]] += gradient[i];

                using var gt = backend.Make(dtype, gradient, y.Shape);
                using var dx = MaxPool2dBackward(gt, indices, shape);
                Assert.Equal(shape, dx.Shape);
                var actual = Values(dx);
                for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], dtype == DType.Float32 ? 1e-6 : 1e-14);
            }
        }
    }

    [Fact]
    public void Indices_point_at_the_first_maximum_of_each_window()
    {
        using var x = backend.FromArray(new float[]
        {
            1, 5, 2, 0,
            3, 4, 8, 1,
            9, 0, 6, 6,
            2, 7, 6, 3,
        }, 1, 1, 4, 4);
        var (y, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(2, 2, 0));
        using (y)
        using (indices)
        {
            Assert.Equal(new float[] { 5, 8, 9, 6 }, y.ToArray<float>());
            Assert.Equal(new[] { 1, 6, 8, 10 }, indices.ToArray<int>());
        }
    }

    [Fact]
    public void Overlapping_windows_sum_their_gradients_into_a_shared_winner()
    {
        // With a 3×3 window at stride 1 the centre 9 wins all nine windows.
        using var x = backend.FromArray(new double[] { 1, 2, 3, 4, 9, 5, 6, 7, 8 }, 1, 1, 3, 3);
        var (y, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(3, 1, 1));
        using (y)
        using (indices)
        {
            Assert.Equal(Enumerable.Repeat(4, 9), indices.ToArray<int>());
            using var g = backend.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3);
            using var dx = MaxPool2dBackward(g, indices, x.Shape);
            Assert.Equal(new double[] { 0, 0, 0, 0, 45, 0, 0, 0, 0 }, dx.ToArray<double>());
        }
    }

    [Fact]
    public void A_nan_in_the_window_wins()
    {
        using var x = backend.FromArray(new float[]
        {
            1, 9, float.NaN, 0,
            float.NaN, 4, 3, 1,
        }, 1, 1, 2, 4);
        var (y, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(2, 2, 0));
        using (y)
        using (indices)
        {
            var values = y.ToArray<float>();
            Assert.True(float.IsNaN(values[0]), "a NaN after the maximum must still win");
            Assert.True(float.IsNaN(values[1]), "a NaN before larger values must win");
            Assert.Equal(new[] { 4, 2 }, indices.ToArray<int>());
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Nans_and_infinities_win_as_in_the_naive_windows(int kernel, int stride, int padding, int width)
    {
        var shape = new Shape(1, 2, 6, width);
        var g = new Pool2dGeometry(kernel, stride, padding);
        double[] specials = [double.NaN, double.NegativeInfinity, double.PositiveInfinity];
        var random = new Random(5);
        // Quarter steps: exact in float, and windows often hold ties.
        var x = Random(shape, 6, v => -1 - Math.Round(Math.Abs(v) * 4) / 4);
        for (int i = 0; i < x.Length; i++)
            if (random.Next(6) == 0) x[i] = specials[random.Next(specials.Length)];
        AssertPoolsLikeNaiveWindows(x, shape, g);
    }

    [Fact]
    public void Padding_never_wins_over_negative_inputs()
    {
        var shape = new Shape(1, 2, 4, 5);
        var x = Random(shape, 4, v => -1 - Math.Abs(v));
        x[7] = double.NegativeInfinity;
        using var xt = backend.Make(DType.Float64, x, shape);
        var g = new Pool2dGeometry(3, 2, 1);
        var (y, indices) = MaxPool2dWithIndices(xt, g);
        using (y)
        using (indices)
        {
            var (expected, expectedIndices) = NaivePool(x, shape, g);
            Assert.All(Values(y), v => Assert.True(v <= -1, $"{v} is not an input value"));
            Assert.Equal(expected, Values(y));
            Assert.Equal(expectedIndices, indices.ToArray<int>());
        }
    }

    [Fact]
    public void A_window_of_negative_infinities_points_at_a_real_cell()
    {
        using var x = backend.Full(new Shape(1, 1, 3, 3), double.NegativeInfinity, DType.Float64);
        var (y, indices) = MaxPool2dWithIndices(x, new Pool2dGeometry(2, 2, 1));
        using (y)
        using (indices)
        {
            Assert.All(y.ToArray<double>(), v => Assert.Equal(double.NegativeInfinity, v));
            Assert.Equal(new[] { 0, 1, 3, 4 }, indices.ToArray<int>());
        }
    }

    /// <summary>Float32 and float64 pooling give the naive windows' values and indices, and the expected shape.</summary>
    private void AssertPoolsLikeNaiveWindows(double[] x, Shape shape, Pool2dGeometry g)
    {
        var (expected, expectedIndices) = NaivePool(x, shape, g);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var xt = backend.Make(dtype, x, shape);
            var (y, indices) = MaxPool2dWithIndices(xt, g);
            using (y)
            using (indices)
            {
                Assert.Equal(new Shape(shape[0], shape[1], g.OutputHeight(shape[2]), g.OutputWidth(shape[3])), y.Shape);
                Assert.Equal(expectedIndices, indices.ToArray<int>());
                Assert.Equal(expected, Values(y));
            }
        }
    }

    /// <summary>Per window: the real cells in row-major order; the first NaN if any, else the
    /// first cell holding the largest value.</summary>
    private static (double[] Values, int[] Indices) NaivePool(double[] x, Shape shape, Pool2dGeometry g)
    {
        int planes = shape[0] * shape[1], h = shape[2], w = shape[3];
        int oh = g.OutputHeight(h), ow = g.OutputWidth(w);
        var values = new double[planes * oh * ow];
        var indices = new int[values.Length];
        for (int p = 0; p < planes; p++)
        for (int r = 0; r < oh; r++)
        for (int c = 0; c < ow; c++)
        {
            var cells = new List<int>();
            for (int i = 0; i < g.KernelH; i++)
            for (int j = 0; j < g.KernelW; j++)
            {
                int ih = r * g.StrideH - g.PadH + i, iw = c * g.StrideW - g.PadW + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) cells.Add(ih * w + iw);
            }
            var window = cells.Select(cell => x[p * h * w + cell]).ToList();
            int nan = window.FindIndex(double.IsNaN);
            int winner = nan >= 0 ? nan : window.IndexOf(window.Max());
            int o = (p * oh + r) * ow + c;
            values[o] = window[winner];
            indices[o] = cells[winner];
        }
        return (values, indices);
    }

    private static double[] Random(Shape shape, int seed, Func<double, double> map)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, shape.ElementCount).Select(_ => map(random.NextDouble() * 2 - 1)).ToArray();
    }


}
