using Grad.Backends;

namespace Grad;

public static partial class Ops
{
    /// <summary>Sum of every element (a scalar).</summary>
    public static Tensor Sum(Tensor x) => Reduce(ReduceOp.Sum, x, AllAxes(x), false);
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Sum, x, [axis], keepDims);
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false) => Reduce(ReduceOp.Sum, x, axes, keepDims);

    /// <summary>Mean of every element (a scalar).</summary>
    public static Tensor Mean(Tensor x) => Reduce(ReduceOp.Mean, x, AllAxes(x), false);
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Mean, x, [axis], keepDims);
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false) => Reduce(ReduceOp.Mean, x, axes, keepDims);

    /// <summary>Largest element (a scalar).</summary>
    public static Tensor Max(Tensor x) => Reduce(ReduceOp.Max, x, AllAxes(x), false);
    public static Tensor Max(Tensor x, int axis, bool keepDims = false) => Reduce(ReduceOp.Max, x, [axis], keepDims);
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
    public static Tensor ArgMax(Tensor x, int axis = -1, bool keepDims = false)
    {
        OpChecks.FloatingPoint("ArgMax", x);
        int a = x.Shape.NormalizeAxis(axis, "ArgMax");
        if (x.Shape[a] == 0)
            throw new ArgumentException($"ArgMax: axis {a} of shape {x.Shape} is empty.");
        return x.Backend.ArgMax(x, a, keepDims);
    }

    private static int[] AllAxes(Tensor x) => Enumerable.Range(0, x.Rank).ToArray();
}
