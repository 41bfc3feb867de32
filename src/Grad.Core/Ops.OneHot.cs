namespace Grad;

public static partial class Ops
{
    /// <summary>(N,) class indices (int32) to an (N, <paramref name="classes"/>) one-hot tensor.
    /// No gradient flows through it, so a forward may use one (<c>OneHot(ArgMax(x), k)</c>).</summary>
    [Primitive, NonDifferentiable]
    public static Tensor OneHot(Tensor indices, int classes, DType dtype = DType.Float32)
    {
        if (indices.DType != DType.Int32)
            throw new ArgumentException($"OneHot: indices must be int32, got {indices.DType.Name()}.");
        OpChecks.Rank("OneHot", indices, 1, "of class indices (N,)");
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), $"OneHot: classes must be positive, got {classes}.");
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"OneHot: the result dtype must be float32 or float64, got {dtype.Name()}.");
        CheckClassIndices("OneHot", indices, classes, "");
        return indices.Backend.OneHot(indices, classes, dtype);
    }

    /// <summary>Throws, naming <paramref name="op"/>, when an int32 index is outside [0, classes).</summary>
    private static void CheckClassIndices(string op, Tensor indices, int classes, string context)
    {
        // A range known for the whole buffer covers every view of it, with no read from the device.
        if (indices.Storage.KnownRange is { } known && known.Min >= 0 && known.Max < classes) return;
        foreach (var i in indices.ToArray<int>())
        {
            if (i < 0 || i >= classes)
                throw new ArgumentOutOfRangeException(nameof(indices), $"{op}: class index {i} is outside [0, {classes}){context}.");
        }
    }
}
