namespace Grad;

/// <summary>Views: new shapes and strides over the same storage, without copying where possible.</summary>
public sealed partial class Tensor
{
    /// <summary>The same elements in a new shape; one dimension may be -1 (inferred).
    /// Copies only when this tensor is not contiguous.</summary>
    [AsPrimitive(nameof(Ops.Reshape))]
    public Tensor Reshape(params int[] shape)
    {
        var dims = shape.ToArray();
        int inferred = Array.IndexOf(dims, -1);
        if (inferred >= 0)
        {
            if (Array.IndexOf(dims, -1, inferred + 1) >= 0)
                throw new ArgumentException($"Reshape: only one dimension may be -1, got {Shape.Format(shape)}.");
            int known = 1;
            for (int i = 0; i < dims.Length; i++) if (i != inferred) known *= dims[i];
            if (known == 0 || ElementCount % known != 0)
                throw new ArgumentException($"Reshape: cannot reshape {Shape} ({ElementCount} elements) into {Shape.Format(shape)}.");
            dims[inferred] = ElementCount / known;
        }
        var target = new Shape(dims);
        if (target.ElementCount != ElementCount)
            throw new ArgumentException($"Reshape: cannot reshape {Shape} ({ElementCount} elements) into {target} ({target.ElementCount} elements).");
        if (IsContiguous) return View(target, target.ContiguousStrides(), Offset);
        using var dense = Contiguous();
        return dense.View(target, target.ContiguousStrides(), dense.Offset);
    }

    [AsPrimitive(nameof(Ops.Reshape))]
    public Tensor Reshape(Shape shape) => Reshape(shape.Dims.ToArray());

    /// <summary>Collapses every axis after the first: (N, …) → (N, rest).</summary>
    [AsPrimitive(nameof(Ops.Flatten))]
    public Tensor Flatten() => Rank == 0 ? Reshape(1, 1) : Reshape(Shape[0], -1);

    /// <summary>Reorders the axes: result axis i is this tensor's axis <c>axes[i]</c>.</summary>
    public Tensor Permute(params int[] axes)
    {
        if (axes.Length != Rank)
            throw new ArgumentException($"Permute: {axes.Length} axes given for a tensor of rank {Rank} (shape {Shape}).");
        var seen = new bool[Rank];
        var dims = new int[Rank];
        var strides = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int axis = Shape.NormalizeAxis(axes[i], "Permute");
            if (seen[axis]) throw new ArgumentException($"Permute: axis {axis} appears twice in {Shape.Format(axes)}.");
            seen[axis] = true;
            dims[i] = Shape[axis];
            strides[i] = Strides[axis];
        }
        return View(new Shape(dims), strides, Offset);
    }

    /// <summary>Swaps two axes (by default the last two).</summary>
    [AsPrimitive(nameof(Ops.Transpose))]
    public Tensor Transpose(int axis0 = -2, int axis1 = -1)
    {
        if (Rank < 2) throw new ArgumentException($"Transpose: needs rank ≥ 2, got shape {Shape}.");
        var axes = Enumerable.Range(0, Rank).ToArray();
        int a = Shape.NormalizeAxis(axis0, "Transpose"), b = Shape.NormalizeAxis(axis1, "Transpose");
        (axes[a], axes[b]) = (axes[b], axes[a]);
        return Permute(axes);
    }

    /// <summary>The matrix transpose of a rank-2 tensor (a view).</summary>
    [AsPrimitive(nameof(Ops.Transpose))]
    public Tensor T => Rank == 2 ? Transpose() : throw new InvalidOperationException($"T: needs a matrix, got shape {Shape}; use Transpose(a, b) or Permute.");

    /// <summary>Elements <paramref name="start"/> ≤ i &lt; <paramref name="end"/> along an axis (a view).</summary>
    public Tensor Slice(int axis, int start, int end)
    {
        int a = Shape.NormalizeAxis(axis, "Slice");
        if (start < 0 || end > Shape[a] || start > end)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: range [{start}, {end}) is outside axis {a} of size {Shape[a]} (shape {Shape}).");
        return View(Shape.With(a, end - start), Strides.ToArray(), Offset + start * Strides[a]);
    }

    /// <summary>Inserts a size-1 axis at <paramref name="axis"/>.</summary>
    public Tensor Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"Unsqueeze: axis {axis} is out of range for rank {Rank}.");
        var dims = Shape.Dims.ToArray().ToList();
        var strides = Strides.ToArray().ToList();
        dims.Insert(a, 1);
        strides.Insert(a, 0);
        return View(new Shape(dims.ToArray()), strides.ToArray(), Offset);
    }

    /// <summary>Removes a size-1 axis.</summary>
    public Tensor Squeeze(int axis)
    {
        int a = Shape.NormalizeAxis(axis, "Squeeze");
        if (Shape[a] != 1) throw new ArgumentException($"Squeeze: axis {a} has size {Shape[a]}, not 1 (shape {Shape}).");
        var dims = Shape.Dims.ToArray().ToList();
        var strides = Strides.ToArray().ToList();
        dims.RemoveAt(a);
        strides.RemoveAt(a);
        return View(new Shape(dims.ToArray()), strides.ToArray(), Offset);
    }

    /// <summary>A contiguous tensor with these elements: a new reference to this one when it
    /// already is contiguous, else a copy. Dispose the result either way.</summary>
    public Tensor Contiguous() => IsContiguous ? Alias() : Backend.Contiguous(this);

    /// <summary>A second reference to the same view, to dispose independently of this one
    /// (how generated code hands a value it does not own to a caller who will dispose it).</summary>
    public Tensor Alias() => View(Shape, Strides.ToArray(), Offset);
}
