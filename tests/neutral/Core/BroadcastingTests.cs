namespace Grad.Tests.Core;

public class BroadcastingTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Theory]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 }, new[] { 2, 3, 4 })]
    [InlineData(new int[0], new[] { 2, 2 }, new[] { 2, 2 })]
    [InlineData(new[] { 0, 3 }, new[] { 1, 3 }, new[] { 0, 3 })]
    [InlineData(new[] { 1 }, new[] { 0 }, new[] { 0 })]
    public void Result_shape_follows_numpy(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(new Shape(expected), Broadcasting.Shape("Add", new Shape(a), new Shape(b)));
        Assert.Equal(new Shape(expected), Broadcasting.Shape("Add", new Shape(b), new Shape(a)));
    }

    [Fact]
    public void Mismatch_names_the_op_and_both_shapes()
    {
        using var a = backend.Zeros([2, 3]);
        using var b = backend.Zeros([4, 3]);
        var e = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("Add", e.Message);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 3)", e.Message);
    }

    [Fact]
    public void Empty_axis_broadcasts_to_an_empty_result()
    {
        using var a = backend.Zeros([0, 3]);
        using var b = backend.Ones([1, 3]);
        using var c = a + b;
        Assert.Equal(new Shape(0, 3), c.Shape);
        Assert.Empty(c.ToArray<float>());
    }
}
