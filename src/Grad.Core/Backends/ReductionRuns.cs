namespace Grad.Backends;

/// <summary>Axis bookkeeping every backend's reductions share. A reduction over several axes is
/// done one run of adjacent axes at a time, first run first, keeping size-1 axes in between so the
/// remaining axes keep their positions; each run views the tensor as (outer, reduced, inner).</summary>
internal static class ReductionRuns
{
    /// <summary>Reduces the (outer, reduced, inner) view of contiguous <c>x</c> into contiguous <c>y</c>.</summary>
    public delegate void RunReduction(Tensor x, int outer, int reduced, int inner, Tensor y);

    public static Tensor Reduce(IBackend backend, Tensor x, ReadOnlySpan<int> axes, bool keepDims, RunReduction reduce)
    {
        var current = x.Contiguous();
        int start = 0;
        while (start < axes.Length)
        {
            int end = start + 1;
            while (end < axes.Length && axes[end] == axes[end - 1] + 1) end++;
            int first = axes[start], last = axes[end - 1];
            var dims = current.Shape.Dims;
            int outer = Product(dims[..first]), reduced = Product(dims[first..(last + 1)]), inner = Product(dims[(last + 1)..]);
            var keptDims = dims.ToArray();
            for (int a = first; a <= last; a++) keptDims[a] = 1;
            var next = backend.Allocate(new Shape(keptDims), x.DType);
            reduce(current, outer, reduced, inner, next);
            current.Dispose();
            current = next;
            start = end;
        }
        if (keepDims) return current;
        using (current) return current.Reshape(RemoveAxes(x.Shape, axes));
    }

    /// <summary>The (outer, size, inner) view of a shape around one axis.</summary>
    public static (int Outer, int Size, int Inner) Around(Shape shape, int axis)
    {
        var dims = shape.Dims;
        return (Product(dims[..axis]), dims[axis], Product(dims[(axis + 1)..]));
    }

    /// <summary>The shape of an arg-max along <paramref name="axis"/>.</summary>
    public static Shape Without(Shape shape, int axis, bool keepDims) =>
        keepDims ? shape.With(axis, 1) : new Shape(RemoveAxes(shape, [axis]));

    private static int Product(ReadOnlySpan<int> dims)
    {
        int p = 1;
        foreach (var d in dims) p *= d;
        return p;
    }

    private static int[] RemoveAxes(Shape shape, ReadOnlySpan<int> axes)
    {
        var kept = new List<int>(shape.Rank);
        for (int i = 0; i < shape.Rank; i++)
        {
            if (!axes.Contains(i)) kept.Add(shape[i]);
        }
        return kept.ToArray();
    }
}
