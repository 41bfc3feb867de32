namespace Grad;

/// <summary>Element type of a tensor. Training runs in <see cref="Float32"/>, gradient checks in
/// <see cref="Float64"/>; <see cref="Int32"/> holds class labels and arg-max indices.</summary>
public enum DType
{
    Float32,
    Float64,
    Int32,
}

public static class DTypeExtensions
{
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.Float32 => sizeof(float),
        DType.Float64 => sizeof(double),
        DType.Int32 => sizeof(int),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The lower-case name used in messages and file formats ("float32").</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        _ => dtype.ToString(),
    };

    /// <summary>The dtype that stores <typeparamref name="T"/> elements.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(int) ? DType.Int32
        : throw new NotSupportedException($"Grad tensors hold float, double or int elements, not {typeof(T).Name}.");
}
