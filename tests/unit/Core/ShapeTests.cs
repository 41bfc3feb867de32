namespace Grad.Tests.Unit.Core;

public class ShapeTests
{
    [Fact]
    public void Shapes_compare_by_value_and_print_like_numpy()
    {
        Assert.Equal(new Shape(2, 3), new Shape(2, 3));
        Assert.NotEqual(new Shape(2, 3), new Shape(3, 2));
        Assert.Equal("(2, 3)", new Shape(2, 3).ToString());
        Assert.Equal("(5,)", new Shape(5).ToString());
        Assert.Equal("()", Shape.Scalar.ToString());
        Assert.Equal(1, Shape.Scalar.ElementCount);
        Assert.Equal(0, new Shape(4, 0, 2).ElementCount);
    }

    [Fact]
    public void Contiguous_strides_are_row_major()
    {
        Assert.Equal([12, 4, 1], new Shape(2, 3, 4).ContiguousStrides());
    }

    [Fact]
    public void Negative_dimension_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Shape(2, -1));
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void Out_of_range_axis_names_the_axis_and_the_rank()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Shape(2, 3).NormalizeAxis(2, "Sum"));
        Assert.Contains("Sum", e.Message);
        Assert.Contains("axis 2", e.Message);
        Assert.Contains("rank 2", e.Message);
        Assert.Equal(1, new Shape(2, 3).NormalizeAxis(-1, "Sum"));
    }
}
