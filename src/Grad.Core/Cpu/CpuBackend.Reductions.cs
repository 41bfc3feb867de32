using System.Numerics;
using Grad.Backends;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor Reduce(ReduceOp op, Tensor x, ReadOnlySpan<int> axes, bool keepDims) =>
        x.DType == DType.Float32 ? Reduce<float>(op, x, axes, keepDims) : Reduce<double>(op, x, axes, keepDims);

    /// <summary>Reduces runs of adjacent axes one run at a time, first run first, keeping size-1
    /// axes in between so the remaining axes keep their positions. Leading runs first: adding
    /// whole rows is SIMD-wide however small the trailing planes are (batch norm's 2×2 maps).</summary>
    private Tensor Reduce<T>(ReduceOp op, Tensor x, ReadOnlySpan<int> axes, bool keepDims) where T : unmanaged, IFloatingPointIeee754<T>
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
            var next = Allocate(new Shape(keptDims), x.DType);
            PassCounter.Record(op, current.ElementCount);
            ReductionKernels.Reduce<T>(op, Memory<T>(current), outer, reduced, inner, Memory<T>(next));
            current.Dispose();
            current = next;
            start = end;
        }
        if (keepDims) return current;
        using (current) return current.Reshape(RemoveAxes(x.Shape, axes));
    }

    public Tensor ArgMax(Tensor x, int axis, bool keepDims)
    {
        using var dense = x.Contiguous();
        var dims = x.Shape.Dims;
        int outer = Product(dims[..axis]), reduced = dims[axis], inner = Product(dims[(axis + 1)..]);
        var y = Allocate(keepDims ? x.Shape.With(axis, 1) : new Shape(RemoveAxes(x.Shape, [axis])), DType.Int32);
        if (x.DType == DType.Float32) ReductionKernels.ArgMax<float>(Span<float>(dense), outer, reduced, inner, Span<int>(y));
        else ReductionKernels.ArgMax<double>(Span<double>(dense), outer, reduced, inner, Span<int>(y));
        return y;
    }

    public Tensor Softmax(Tensor x, int axis, bool log)
    {
        using var dense = x.Contiguous();
        var dims = x.Shape.Dims;
        int outer = Product(dims[..axis]), size = dims[axis], inner = Product(dims[(axis + 1)..]);
        var y = Allocate(x.Shape, x.DType);
        PassCounter.Record(log ? "LogSoftmax" : "Softmax", y.ElementCount);
        if (x.DType == DType.Float32) SoftmaxKernels.Softmax<float>(Span<float>(dense), outer, size, inner, log, Span<float>(y));
        else SoftmaxKernels.Softmax<double>(Span<double>(dense), outer, size, inner, log, Span<double>(y));
        return y;
    }

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
