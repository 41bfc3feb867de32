using Grad.Backends;

namespace Grad;

/// <summary>Argument checks shared by the operations, so that every backend sees well-formed
/// input and every error names the operation.</summary>
internal static class OpChecks
{
    public static void SameDevice(string op, Tensor a, Tensor b)
    {
        if (!ReferenceEquals(a.Backend, b.Backend))
            throw new ArgumentException($"{op}: operands live on different devices ({a.Backend.Name} and {b.Backend.Name}); move one with .To(backend).");
    }

    public static void SameDType(string op, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: operands have different dtypes ({a.DType.Name()} and {b.DType.Name()}); convert one with .To(DType.{a.DType}).");
    }

    public static void FloatingPoint(string op, Tensor x)
    {
        if (!x.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: needs a float32 or float64 tensor, got {x.DType.Name()}; convert it with .To(DType.Float32).");
    }

    public static void Compatible(string op, Tensor a, Tensor b)
    {
        SameDevice(op, a, b);
        SameDType(op, a, b);
        FloatingPoint(op, a);
    }

    public static void Rank(string op, Tensor x, int rank, string layout)
    {
        if (x.Rank != rank)
            throw new ArgumentException($"{op}: expects a rank-{rank} tensor {layout}, got shape {x.Shape}.");
    }

    public static int[] DistinctAxes(string op, Tensor x, ReadOnlySpan<int> axes)
    {
        var resolved = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            resolved[i] = x.Shape.NormalizeAxis(axes[i], op);
            if (Array.IndexOf(resolved, resolved[i], 0, i) >= 0)
                throw new ArgumentException($"{op}: axis {axes[i]} is given twice.");
        }
        Array.Sort(resolved);
        return resolved;
    }

    public static Tensor ScalarLike(Tensor like, double value) => Tensor.Scalar(value, like.DType, like.Backend);
}
