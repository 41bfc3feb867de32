using System.Runtime.Intrinsics;
using Grad.Backends;
using Grad.Cpu;
using Grad.Tests.Core;

namespace Grad.Tests.Unit.Cpu;

/// <summary>Which convolutions the CPU backend hands to Winograd, and which of its two algorithms,
/// and that its factored transforms are the algorithms' matrices; the numbers every algorithm
/// gives are checked by the neutral <see cref="ConvolutionTests"/>.</summary>
public class WinogradTests
{
    [Theory]
    [InlineData(128, 8, 256, 1, 1, true, true)]     // the CNN's 8×8, 16×16 and 4×4 layers
    [InlineData(64, 16, 128, 1, 1, true, true)]
    [InlineData(512, 4, 512, 1, 1, true, false)]    // F(4×4): 32 tiles in the batch, too few
    [InlineData(64, 32, 64, 1, 1, true, true)]      // 32×32 with enough channels
    [InlineData(256, 6, 256, 1, 1, true, false)]    // F(4×4) needs as many products as F(2×2)
    [InlineData(128, 10, 128, 1, 1, true, false)]   // 81 % of F(2×2)'s products: too few saved
    [InlineData(3, 32, 64, 1, 1, false, false)]     // too few input channels
    [InlineData(64, 64, 64, 1, 1, false, false)]    // 64×64: unmeasured
    [InlineData(512, 2, 512, 1, 1, false, false)]   // one tile per image
    [InlineData(128, 8, 256, 2, 1, false, false)]   // strided
    [InlineData(128, 8, 256, 1, 0, false, false)]   // unpadded
    public void Winograd_takes_the_layers_it_is_faster_on(int c, int size, int o, int stride, int padding,
        bool winograd, bool f4)
    {
        var layout = ConvLayout.Of(new Shape(32, c, size, size), new Shape(o, c, 3, 3), new Conv2dGeometry(stride, padding));
        Assert.Equal(winograd, Conv2dWinograd.Applies(layout));
        if (winograd) Assert.Equal(f4, Conv2dWinograd.PrefersF4(layout));
    }

    [Fact]
    public void The_cases_cover_both_Winograd_algorithms()
    {
        var winograd = ConvolutionTests.Cases().Cast<object[]>().Select(row => (ConvolutionTests.Case)row[0])
            .Select(c => ConvLayout.Of(c.Input, c.Weight, c.G))
            .Where(Conv2dWinograd.Applies).ToList();
        Assert.Equal(5, winograd.Count(layout => !Conv2dWinograd.PrefersF4(layout)));
        Assert.Equal(4, winograd.Count(Conv2dWinograd.PrefersF4));
    }

    /// <summary>The OpenCL backend's transforms are written from <see cref="WinogradMatrices"/>;
    /// the CPU's, factored by hand, must compute the same matrices, column by column.</summary>
    [Fact]
    public void The_factored_transforms_compute_the_algorithms_matrices()
    {
        TransformsAre<WinogradF2>();
        TransformsAre<WinogradF4>();
    }

    private delegate void Transform(ReadOnlySpan<Vector256<double>> source, int s, Span<Vector256<double>> target, int t);

    private static void TransformsAre<TA>() where TA : IWinogradAlgorithm
    {
        var m = TA.Matrices;
        Assert.Equal((TA.Tile, TA.Size), (m.Tile, m.Size));
        Columns((d, s, v, t) => TA.Input(d, s, v, t), m.InputTransposed);
        Columns((g, s, u, t) => TA.Filter(g, s, u, t), m.Filter);
        Columns((x, s, y, t) => TA.Output(x, s, y, t), m.OutputTransposed);
        Columns((dy, s, dm, t) => TA.OutputGradient(dy, s, dm, t), WinogradMatrices.Transpose(m.OutputTransposed));
        Columns((du, s, dg, t) => TA.FilterGradient(du, s, dg, t), WinogradMatrices.Transpose(m.Filter));
    }

    /// <summary>The transform of each unit vector is the matrix's column; a stride of 2 on both sides
    /// checks that the transform honours its strides.</summary>
    private static void Columns(Transform transform, IReadOnlyList<double[]> matrix)
    {
        int rows = matrix.Count, columns = matrix[0].Length;
        for (int j = 0; j < columns; j++)
        {
            var source = new Vector256<double>[2 * columns];
            var target = new Vector256<double>[2 * rows];
            source[2 * j] = Vector256.Create(1.0, 2.0, -1.0, 0.5);
            transform(source, 2, target, 2);
            for (int i = 0; i < rows; i++)
            {
                Assert.True(Math.Abs(target[2 * i][0] - matrix[i][j]) < 1e-15, $"entry ({i}, {j}): {target[2 * i][0]}, the matrix has {matrix[i][j]}");
                Assert.Equal(2 * target[2 * i][0], target[2 * i][1], 1e-15);
                Assert.Equal(0.0, target[2 * i + 1][0]);
            }
        }
    }
}
