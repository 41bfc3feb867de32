using static Grad.Ops;

namespace Grad.Tests.Core;

public class OneHotTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Fact]
    public void Each_row_has_a_one_at_its_class()
    {
        using var labels = backend.FromArray(new[] { 2, 0, 3, 2 }, 4);
        using var y = OneHot(labels, 4);
        Assert.Equal(new Shape(4, 4), y.Shape);
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(new float[]
        {
            0, 0, 1, 0,
            1, 0, 0, 0,
            0, 0, 0, 1,
            0, 0, 1, 0,
        }, y.ToArray<float>());
    }

    [Fact]
    public void Float64_results_and_strided_indices_are_supported()
    {
        using var stored = backend.FromArray(new[] { 1, 9, 0, 9, 2, 9 }, 3, 2);
        using var labels = stored.Slice(1, 0, 1).Reshape(3);
        using var y = OneHot(labels, 3, DType.Float64);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(new double[] { 0, 1, 0, 1, 0, 0, 0, 0, 1 }, y.ToArray<double>());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void An_index_outside_the_classes_is_an_error(int label)
    {
        using var labels = backend.FromArray(new[] { 0, label }, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot(labels, 3));
        Assert.Contains($"class index {label}", e.Message);
        Assert.Contains("[0, 3)", e.Message);
    }

    [Fact]
    public void Float_indices_and_integer_results_are_errors()
    {
        using var floats = backend.FromArray(new float[] { 0, 1 }, 2);
        Assert.Contains("int32", Assert.Throws<ArgumentException>(() => OneHot(floats, 2)).Message);
        using var labels = backend.FromArray(new[] { 0, 1 }, 2);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => OneHot(labels, 2, DType.Int32)).Message);
    }
}
