namespace Grad.Serialization;

/// <summary>The safetensors names of the element types Grad stores.</summary>
internal static class SafeTensorsDType
{
    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Int32 => "I32",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool TryParse(string name, out DType dtype)
    {
        (bool known, dtype) = name switch
        {
            "F32" => (true, DType.Float32),
            "F64" => (true, DType.Float64),
            "I32" => (true, DType.Int32),
            _ => (false, default),
        };
        return known;
    }
}
