namespace Grad.Tests.Core;

public class ViewTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private Tensor Iota(params int[] shape) =>
        backend.FromArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => (double)i).ToArray(), shape);

    [Fact]
    public void Reshape_infers_one_dimension_and_shares_storage()
    {
        using var x = Iota(2, 3, 4);
        using var y = x.Reshape(4, -1);
        Assert.Equal(new Shape(4, 6), y.Shape);
        Assert.Same(x.Storage, y.Storage);
        Assert.Equal(x.ToArray<double>(), y.ToArray<double>());
        Assert.Contains("(2, 3, 4)", Assert.Throws<ArgumentException>(() => x.Reshape(5, -1)).Message);
        Assert.Contains("only one", Assert.Throws<ArgumentException>(() => x.Reshape(-1, -1)).Message);
    }

    [Fact]
    public void Permute_and_transpose_reorder_axes()
    {
        using var x = Iota(2, 3, 4);
        using var p = x.Permute(2, 0, 1);
        Assert.Equal(new Shape(4, 2, 3), p.Shape);
        Assert.False(p.IsContiguous);
        var values = p.ToArray<double>();
        // p[k, i, j] = x[i, j, k] = 12 i + 4 j + k
        Assert.Equal(12 * 1 + 4 * 2 + 3, values[3 * 6 + 1 * 3 + 2]);
        using var t = x.Transpose(0, 2);
        Assert.Equal(new Shape(4, 3, 2), t.Shape);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => x.Permute(0, 0, 1)).Message);
    }

    [Fact]
    public void Reshape_of_a_non_contiguous_view_copies()
    {
        using var x = Iota(2, 3);
        using var t = x.T;
        using var flat = t.Reshape(6);
        Assert.NotSame(x.Storage, flat.Storage);
        Assert.Equal(new double[] { 0, 3, 1, 4, 2, 5 }, flat.ToArray<double>());
    }

    [Fact]
    public void Slice_squeeze_and_unsqueeze()
    {
        using var x = Iota(3, 4);
        using var s = x.Slice(0, 1, 3);
        Assert.Equal(new double[] { 4, 5, 6, 7, 8, 9, 10, 11 }, s.ToArray<double>());
        using var c = x.Slice(1, 2, 3);
        Assert.Equal(new double[] { 2, 6, 10 }, c.ToArray<double>());
        using var u = c.Squeeze(1).Unsqueeze(0);
        Assert.Equal(new Shape(1, 3), u.Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 2, 5));
        Assert.Contains("not 1", Assert.Throws<ArgumentException>(() => x.Squeeze(0)).Message);
    }

    [Fact]
    public void A_view_keeps_its_storage_alive_after_the_base_is_disposed()
    {
        var x = Iota(2, 2);
        var view = x.T;
        x.Dispose();
        Assert.False(view.Storage.IsReleased);
        Assert.Equal(new double[] { 0, 2, 1, 3 }, view.ToArray<double>());
        view.Dispose();
        Assert.Throws<ObjectDisposedException>(() => view.ToArray<double>());
        Assert.Throws<ObjectDisposedException>(() => x.Reshape(4));
    }

    [Fact]
    public void Casts_round_trip_and_truncate_to_int()
    {
        using var x = backend.FromArray(new float[] { 1.5f, -2.7f, 3 }, 3);
        using var d = x.To(DType.Float64);
        using var i = x.To(DType.Int32);
        Assert.Equal(new double[] { 1.5, -2.700000047683716, 3 }, d.ToArray<double>());
        Assert.Equal(new[] { 1, -2, 3 }, i.ToArray<int>());
        Assert.Contains("float32", Assert.Throws<InvalidOperationException>(() => x.ToArray<double>()).Message);
    }

    [Fact]
    public void To_the_same_dtype_or_backend_is_a_tensor_the_caller_owns()
    {
        using var x = backend.FromArray(new float[] { 1.5f, -2.7f, 3 }, 3);
        var sameDType = x.To(DType.Float32);
        var sameBackend = x.To(x.Backend);
        Assert.NotSame(x, sameDType);
        Assert.NotSame(x, sameBackend);
        Assert.Same(x.Storage, sameDType.Storage); // a new reference, not a copy
        sameDType.Dispose();
        sameBackend.Dispose();
        Assert.False(x.Storage.IsReleased);
        Assert.Equal(new float[] { 1.5f, -2.7f, 3 }, x.ToArray<float>());
        Assert.Throws<ObjectDisposedException>(() => sameDType.ToArray<float>());
    }

    [Fact]
    public void FromArray_checks_the_element_count()
    {
        var e = Assert.Throws<ArgumentException>(() => backend.FromArray(new float[5], 2, 3));
        Assert.Contains("5 elements", e.Message);
        Assert.Contains("(2, 3)", e.Message);
    }
}
