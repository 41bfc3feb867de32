using Grad.Backends;

namespace Grad;

public static partial class Ops
{
    /// <summary>Sum of every element (a scalar).</summary>
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x)", Linear = true)]
    [Derivative("x", "Broadcast(g, x.Shape)")]
    public static Tensor Sum(Tensor x) => Reduce(ReduceOp.Sum, x, AllAxes(x), false);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axis, keepDims)", Linear = true)]
    [Derivative("x", "ExpandReduced(g, x.Shape, [axis], keepDims)")]
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Sum, x, [axis], keepDims);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axes, keepDims)", Linear = true)]
    [Derivative("x", "ExpandReduced(g, x.Shape, axes, keepDims)")]
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false) => Reduce(ReduceOp.Sum, x, axes, keepDims);

    /// <summary>Mean of every element (a scalar).</summary>
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x)", Linear = true)]
    [Derivative("x", "Broadcast(g, x.Shape) / x.Shape.ElementCount")]
    public static Tensor Mean(Tensor x) => Reduce(ReduceOp.Mean, x, AllAxes(x), false);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axis, keepDims)", Linear = true)]
    [Derivative("x", "ExpandReduced(g, x.Shape, [axis], keepDims) / ReducedCount(x.Shape, [axis])")]
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Mean, x, [axis], keepDims);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axes, keepDims)", Linear = true)]
    [Derivative("x", "ExpandReduced(g, x.Shape, axes, keepDims) / ReducedCount(x.Shape, axes)")]
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false) => Reduce(ReduceOp.Mean, x, axes, keepDims);

    /// <summary>Largest element (a scalar). The gradient goes to every element equal to it.</summary>
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x)")]
    [Derivative("x", "Broadcast(g, x.Shape) * Equal(x, Broadcast(result, x.Shape))")]
    public static Tensor Max(Tensor x) => Reduce(ReduceOp.Max, x, AllAxes(x), false);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axis, keepDims)")]
    [Derivative("x", "ExpandReduced(g, x.Shape, [axis], keepDims) * Equal(x, ExpandReduced(result, x.Shape, [axis], keepDims))")]
    public static Tensor Max(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Max, x, [axis], keepDims);
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axes, keepDims)")]
    [Derivative("x", "ExpandReduced(g, x.Shape, axes, keepDims) * Equal(x, ExpandReduced(result, x.Shape, axes, keepDims))")]
    public static Tensor Max(Tensor x, int[] axes, bool keepDims = false) => Reduce(ReduceOp.Max, x, axes, keepDims);

    public static Tensor Reduce(ReduceOp op, Tensor x, int[] axes, bool keepDims)
    {
        var name = op.ToString();
        OpChecks.FloatingPoint(name, x);
        var resolved = OpChecks.DistinctAxes(name, x, axes);
        if (op == ReduceOp.Max)
        {
            foreach (var axis in resolved)
            {
                if (x.Shape[axis] == 0)
                    throw new ArgumentException($"Max: axis {axis} of shape {x.Shape} is empty, and a maximum of nothing is undefined.");
            }
        }
        return x.Backend.Reduce(op, x, resolved, keepDims);
    }

    /// <summary>Index of the first largest element along an axis, as int32.</summary>
    [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axis, keepDims)"), NonDifferentiable]
    public static Tensor ArgMax(Tensor x, int axis = -1, bool keepDims = false)
    {
        OpChecks.FloatingPoint("ArgMax", x);
        int a = x.Shape.NormalizeAxis(axis, "ArgMax");
        if (x.Shape[a] == 0)
            throw new ArgumentException($"ArgMax: axis {a} of shape {x.Shape} is empty.");
        return x.Backend.ArgMax(x, a, keepDims);
    }

    /// <summary>Broadcasts the result of a reduction over <paramref name="axes"/> back to the
    /// <paramref name="shape"/> it was reduced from (a view; reinserts dropped axes first). In a
    /// forward it spreads per-channel values over a batch, e.g. a (C,) scale over (N, C, H, W):
    /// the result provably has <paramref name="shape"/>, which lets the generator fuse more.</summary>
    [Primitive(Kind = PrimitiveKind.View, Shape = "shape")]
    [Derivative("reduced", "Sum(g, axes, keepDims)")]
    public static Tensor ExpandReduced(Tensor reduced, Shape shape, int[] axes, bool keepDims)
    {
        if (keepDims) return Broadcast(reduced, shape);
        var kept = shape.Dims.ToArray();
        foreach (var axis in axes) kept[shape.NormalizeAxis(axis, "ExpandReduced")] = 1;
        using var withAxes = reduced.Reshape(kept);
        return Broadcast(withAxes, shape);
    }

    /// <summary>How many elements a reduction over <paramref name="axes"/> combines into one.</summary>
    public static int ReducedCount(Shape shape, int[] axes)
    {
        int count = 1;
        foreach (var axis in axes) count *= shape[shape.NormalizeAxis(axis, "ReducedCount")];
        return count;
    }

    private static int[] AllAxes(Tensor x) => Enumerable.Range(0, x.Rank).ToArray();
}
