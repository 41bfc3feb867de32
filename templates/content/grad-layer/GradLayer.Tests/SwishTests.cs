using Grad;

namespace GradLayer.Tests;

public class SwishTests
{
    /// <summary>The generated backward (the input's gradient and β's) against central finite
    /// differences, in float64, with a random upstream gradient.</summary>
    [Fact]
    public void Generated_backward_passes_the_gradient_check()
    {
        var layer = new Swish(Init.Normal([8], seed: 1, dtype: DType.Float64));
        using var x = Init.Normal([5, 8], seed: 2, dtype: DType.Float64);
        var report = GradCheck.CheckLayer(layer, x).EnsurePassed();
        Assert.True(report.EntriesChecked > 0);
    }

    /// <summary>The forward itself: with β = 1 it is SiLU, x · σ(x).</summary>
    [Fact]
    public void Forward_with_unit_slope_is_silu()
    {
        var layer = Swish.Create(3, DType.Float64);
        using var x = Tensor.FromArray([-1.0, 0.0, 2.0], 1, 3);
        using var y = layer.Forward(x);
        double[] expected = [-1 / (1 + Math.E), 0, 2 / (1 + Math.Exp(-2))];
        Assert.Equal(expected, y.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }
}
