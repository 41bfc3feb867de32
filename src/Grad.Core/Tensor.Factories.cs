using Grad.Backends;

namespace Grad;

public sealed partial class Tensor
{
    /// <summary>A tensor holding a copy of <paramref name="data"/> in row-major order.</summary>
    public static Tensor FromArray<T>(T[] data, params int[] shape) where T : unmanaged =>
        FromSpan<T>(data, new Shape(shape), null);

    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, Shape shape, IBackend? backend = null) where T : unmanaged
    {
        if (data.Length != shape.ElementCount)
            throw new ArgumentException($"FromArray: {data.Length} elements cannot fill shape {shape} ({shape.ElementCount} elements).");
        return (backend ?? Device.Default).FromHost(data, shape);
    }

    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32, IBackend? backend = null)
    {
        var t = (backend ?? Device.Default).Allocate(shape, dtype);
        t.Backend.Fill(t, value);
        return t;
    }

    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32, IBackend? backend = null) => Full(shape, 0, dtype, backend);
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32, IBackend? backend = null) => Full(shape, 1, dtype, backend);

    /// <summary>A rank-0 tensor.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, IBackend? backend = null) =>
        Full(Shape.Scalar, value, dtype, backend);

    /// <summary>0, 1, …, n−1.</summary>
    public static Tensor Arange(int n, DType dtype = DType.Float32, IBackend? backend = null) => dtype switch
    {
        DType.Float32 => FromSpan<float>(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), new Shape(n), backend),
        DType.Float64 => FromSpan<double>(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), new Shape(n), backend),
        _ => FromSpan<int>(Enumerable.Range(0, n).ToArray(), new Shape(n), backend),
    };

    public static Tensor ZerosLike(Tensor t) => Zeros(t.Shape, t.DType, t.Backend);
    public static Tensor OnesLike(Tensor t) => Ones(t.Shape, t.DType, t.Backend);
}
