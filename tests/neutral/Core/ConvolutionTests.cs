using Grad.Backends;
using static Grad.Ops;
using static Grad.Tests.TestTensors;

namespace Grad.Tests.Core;

/// <summary>Conv2d and its two gradients against naive loops written straight from the definition.</summary>
public class ConvolutionTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    /// <summary>One convolution problem: input (N, C, H, W), weights (O, C, KH, KW), geometry.</summary>
    public sealed record Case(int N, int C, int H, int W, int O, int KH, int KW, Conv2dGeometry G)
    {
        public int OH => G.OutputHeight(H, KH);
        public int OW => G.OutputWidth(W, KW);
        public Shape Input => new(N, C, H, W);
        public Shape Weight => new(O, C, KH, KW);
        public Shape Output => new(N, O, OH, OW);
        public override string ToString() => $"x{Input} w{Weight} {G}";
    }

    public static TheoryData<Case> Cases() => new()
    {
        new(1, 1, 5, 5, 1, 3, 3, new(1, 0)),
        new(3, 5, 7, 5, 4, 3, 3, new(1, 1)),
        new(2, 3, 7, 5, 2, 3, 3, new(2, 1)),
        new(1, 5, 9, 8, 3, 3, 3, new(3, 2)),
        new(3, 1, 7, 5, 2, 3, 2, new(StrideH: 2, StrideW: 1, PadH: 1, PadW: 0)),
        new(1, 2, 5, 6, 2, 2, 3, new(StrideH: 1, StrideW: 3, PadH: 2, PadW: 1)),
        new(2, 5, 7, 5, 3, 1, 1, new(1, 0)),
        new(1, 3, 6, 7, 4, 1, 1, new(2, 0)),
        new(1, 2, 2, 3, 2, 5, 5, new(1, 2)),
        // Rows of 16 or more outputs at unit stride are copied whole rather than gathered.
        new(1, 2, 18, 20, 2, 3, 5, new(StrideH: 2, StrideW: 1, PadH: 1, PadW: 2)),
        new(1, 1, 3, 16, 2, 2, 2, new(3, 3)),
        // 256 or more output cells per image: one GEMM per image, images split over threads.
        new(3, 4, 32, 32, 3, 3, 3, new(1, 1)),
        new(3, 2, 16, 17, 3, 1, 1, new(1, 0)),
        new(2, 3, 33, 31, 2, 2, 3, new(StrideH: 1, StrideW: 2, PadH: 0, PadW: 1)),
        // 3×3, stride 1, padding 1, 32 channels or more, 16 to 1024 cells per plane: Winograd.
        // F(2×2, 3×3) on the first five (too few products saved on 5×7 and 4×5, fewer than 64
        // tiles of 4×4 in the others), F(4×4, 3×3) on the last four. Odd planes have tiles
        // hanging over the edge, and the tile and channel counts leave partial vectors of tiles
        // and filters.
        new(2, 32, 5, 7, 33, 3, 3, new(1, 1)),
        new(1, 35, 4, 5, 37, 3, 3, new(1, 1)),
        new(2, 32, 8, 8, 48, 3, 3, new(1, 1)),
        new(3, 33, 15, 9, 32, 3, 3, new(1, 1)),
        new(1, 32, 16, 16, 34, 3, 3, new(1, 1)),
        new(16, 32, 8, 8, 48, 3, 3, new(1, 1)),
        new(7, 33, 15, 9, 32, 3, 3, new(1, 1)),
        new(9, 40, 12, 12, 36, 3, 3, new(1, 1)),
        new(1, 32, 32, 32, 33, 3, 3, new(1, 1)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_naive_loops(Case c)
    {
        var (x, w) = (Random(c.Input, 1), Random(c.Weight, 2));
        var expected = NaiveForward(c, x, w);
        var magnitude = NaiveForward(c, Abs(x), Abs(w));
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var xt = backend.Make(dtype, x, c.Input);
            using var wt = backend.Make(dtype, w, c.Weight);
            using var y = Conv2d(xt, wt, c.G);
            Assert.Equal(c.Output, y.Shape);
            Assert.Equal(dtype, y.DType);
            AssertClose(expected, Values(y), dtype, magnitude);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_input_matches_naive_adjoint(Case c)
    {
        var (g, w) = (Random(c.Output, 3), Random(c.Weight, 4));
        var (expected, _) = NaiveBackward(c, new double[c.Input.ElementCount], w, g);
        var (magnitude, _) = NaiveBackward(c, new double[c.Input.ElementCount], Abs(w), Abs(g));
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var gt = backend.Make(dtype, g, c.Output);
            using var wt = backend.Make(dtype, w, c.Weight);
            using var dx = Conv2dBackwardInput(gt, wt, c.Input, c.G);
            Assert.Equal(c.Input, dx.Shape);
            AssertClose(expected, Values(dx), dtype, magnitude);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_weight_matches_naive_adjoint(Case c)
    {
        var (g, x) = (Random(c.Output, 5), Random(c.Input, 6));
        var (_, expected) = NaiveBackward(c, x, new double[c.Weight.ElementCount], g);
        var (_, magnitude) = NaiveBackward(c, Abs(x), new double[c.Weight.ElementCount], Abs(g));
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var gt = backend.Make(dtype, g, c.Output);
            using var xt = backend.Make(dtype, x, c.Input);
            using var dw = Conv2dBackwardWeight(gt, xt, c.Weight, c.G);
            Assert.Equal(c.Weight, dw.Shape);
            AssertClose(expected, Values(dw), dtype, magnitude);
        }
    }

    /// <summary>⟨Conv2d(x, w), g⟩ = ⟨x, ∂x⟩ = ⟨w, ∂w⟩: each side is Σ x·w·g over the same terms.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_satisfy_the_adjoint_identity(Case c)
    {
        var (x, w, g) = (Random(c.Input, 7), Random(c.Weight, 8), Random(c.Output, 9));
        using var xt = backend.Make(DType.Float64, x, c.Input);
        using var wt = backend.Make(DType.Float64, w, c.Weight);
        using var gt = backend.Make(DType.Float64, g, c.Output);
        using var y = Conv2d(xt, wt, c.G);
        using var dx = Conv2dBackwardInput(gt, wt, c.Input, c.G);
        using var dw = Conv2dBackwardWeight(gt, xt, c.Weight, c.G);
        double forward = Dot(Values(y), g);
        Assert.NotEqual(0, forward);
        Assert.Equal(forward, Dot(x, Values(dx)), 1e-10);
        Assert.Equal(forward, Dot(w, Values(dw)), 1e-10);
    }

    [Fact]
    public void Strided_views_are_read_through_their_strides()
    {
        var c = new Case(2, 3, 6, 5, 4, 3, 3, new(1, 1));
        // Store x as (N, C, W, H) and w as (O, C, KW, KH), then swap the last two axes: views.
        var (xStored, wStored) = (Random(new Shape(2, 3, 5, 6), 10), Random(new Shape(4, 3, 3, 3), 11));
        using var xs = backend.FromArray(xStored, 2, 3, 5, 6);
        using var ws = backend.FromArray(wStored, 4, 3, 3, 3);
        using var xView = xs.Transpose(2, 3);
        using var wView = ws.Transpose(2, 3);
        Assert.False(xView.IsContiguous);
        using var xDense = xView.Contiguous();
        using var wDense = wView.Contiguous();
        var (x, w) = (Values(xDense), Values(wDense));

        using var y = Conv2d(xView, wView, c.G);
        AssertClose(NaiveForward(c, x, w), Values(y), DType.Float64);

        // The output gradient is a slice of a wider tensor: rows with a gap between them.
        using var gs = backend.FromArray(Random(new Shape(c.N, c.O, c.OH, c.OW + 2), 12), c.N, c.O, c.OH, c.OW + 2);
        using var gView = gs.Slice(3, 1, c.OW + 1);
        Assert.False(gView.IsContiguous);
        var g = Values(gView);
        var (dxExpected, dwExpected) = NaiveBackward(c, x, w, g);
        using var dx = Conv2dBackwardInput(gView, wView, c.Input, c.G);
        using var dw = Conv2dBackwardWeight(gView, xView, c.Weight, c.G);
        AssertClose(dxExpected, Values(dx), DType.Float64);
        AssertClose(dwExpected, Values(dw), DType.Float64);
    }

    [Fact]
    public void Wrong_channel_count_names_both_shapes()
    {
        using var x = backend.Zeros(new Shape(2, 3, 5, 5));
        using var w = backend.Zeros(new Shape(4, 2, 3, 3));
        var e = Assert.Throws<ArgumentException>(() => Conv2d(x, w, stride: 1, padding: 1));
        Assert.Contains("(2, 3, 5, 5)", e.Message);
        Assert.Contains("(4, 2, 3, 3)", e.Message);
    }

    private static double[] NaiveForward(Case c, double[] x, double[] w)
    {
        var y = new double[c.Output.ElementCount];
        for (int n = 0; n < c.N; n++)
        for (int o = 0; o < c.O; o++)
        for (int oh = 0; oh < c.OH; oh++)
        for (int ow = 0; ow < c.OW; ow++)
        {
            double sum = 0;
            for (int ch = 0; ch < c.C; ch++)
            for (int i = 0; i < c.KH; i++)
            for (int j = 0; j < c.KW; j++)
            {
                int ih = oh * c.G.StrideH - c.G.PadH + i, iw = ow * c.G.StrideW - c.G.PadW + j;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                sum += x[((n * c.C + ch) * c.H + ih) * c.W + iw] * w[((o * c.C + ch) * c.KH + i) * c.KW + j];
            }
            y[((n * c.O + o) * c.OH + oh) * c.OW + ow] = sum;
        }
        return y;
    }

    /// <summary>The exact adjoint of <see cref="NaiveForward"/>: each output gradient cell sends
    /// w·g to the input cell and x·g to the weight that met in its sum.</summary>
    private static (double[] Dx, double[] Dw) NaiveBackward(Case c, double[] x, double[] w, double[] g)
    {
        var dx = new double[c.Input.ElementCount];
        var dw = new double[c.Weight.ElementCount];
        for (int n = 0; n < c.N; n++)
        for (int o = 0; o < c.O; o++)
        for (int oh = 0; oh < c.OH; oh++)
        for (int ow = 0; ow < c.OW; ow++)
        {
            double grad = g[((n * c.O + o) * c.OH + oh) * c.OW + ow];
            for (int ch = 0; ch < c.C; ch++)
            for (int i = 0; i < c.KH; i++)
            for (int j = 0; j < c.KW; j++)
            {
                int ih = oh * c.G.StrideH - c.G.PadH + i, iw = ow * c.G.StrideW - c.G.PadW + j;
                if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                int xi = ((n * c.C + ch) * c.H + ih) * c.W + iw, wi = ((o * c.C + ch) * c.KH + i) * c.KW + j;
                dx[xi] += w[wi] * grad;
                dw[wi] += x[xi] * grad;
            }
        }
        return (dx, dw);
    }

    private static double[] Random(Shape shape, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, shape.ElementCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }



    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    /// <summary>Each element within a tolerance of its magnitude, Σ|term| over the products it
    /// sums (|expected| where not given): a float sum's rounding error grows with its terms, not
    /// with their possibly cancelling total. The weight gradient of a 32×32 plane sums a thousand
    /// products per image, and Winograd's transforms scale terms by up to 8 before they cancel.</summary>
    private void AssertClose(double[] expected, double[] actual, DType dtype, double[]? magnitude = null)
    {
        double tolerance = backend.Tolerance(dtype);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = magnitude?[i] ?? Math.Abs(expected[i]);
            if (Math.Abs(expected[i] - actual[i]) > tolerance * (1 + scale))
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (magnitude {scale}, {dtype})");
        }
    }

    private static double[] Abs(double[] values) => values.Select(Math.Abs).ToArray();
}
