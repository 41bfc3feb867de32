namespace Grad;

/// <summary>Shape primitives: views with derivative rules, and the gradient's way back from a
/// broadcast. <c>x.T</c>, <c>x.Reshape(…)</c> and <c>x.Flatten()</c> in a forward mean these.</summary>
public static partial class Ops
{
    /// <summary>Swaps the last two axes (a view).</summary>
    [Primitive(Kind = PrimitiveKind.View, Shape = "Transposed(x)")]
    [Derivative("x", "Transpose(g)")]
    [Rewrite("Transpose(Transpose(x))", "x")]
    [Rewrite("Transpose(MatMul(a, b))", "MatMul(Transpose(b), Transpose(a))")]
    // Transposing a sum back to sᵀ's shape is summing the transpose back to s's shape.
    [Rewrite("Transpose(SumTo(y, Transpose(s).Shape))", "SumTo(Transpose(y), s.Shape)")]
    public static Tensor Transpose(Tensor x) => x.Transpose();

    /// <summary>The same elements in a new shape; one dimension may be −1 (inferred).</summary>
    [Primitive(Kind = PrimitiveKind.View, Shape = "shape")]
    [Derivative("x", "Reshape(g, x.Shape)")]
    public static Tensor Reshape(Tensor x, int[] shape) => x.Reshape(shape);

    /// <summary>(N, …) → (N, rest).</summary>
    [Primitive(Kind = PrimitiveKind.View)]
    [Derivative("x", "Reshape(g, x.Shape)")]
    public static Tensor Flatten(Tensor x) => x.Flatten();

    /// <summary>A view of <paramref name="t"/> broadcast to <paramref name="shape"/> (stride 0 on
    /// repeated axes).</summary>
    [Primitive(Kind = PrimitiveKind.View, Shape = "shape")]
    [Derivative("t", "SumTo(g, t.Shape)")]
    public static Tensor Broadcast(Tensor t, Shape shape)
    {
        var result = Broadcasting.Shape("Broadcast", t.Shape, shape);
        if (result != shape)
            throw new ArgumentException($"Broadcast: shape {t.Shape} cannot be broadcast to {shape}.");
        return t.View(shape, Broadcasting.StridesFor(t, shape), t.Offset);
    }

    /// <summary>
    /// Sums <paramref name="gradient"/> down to <paramref name="shape"/>, undoing a broadcast: the
    /// leading axes it added and the size-1 axes it stretched are summed away. Returns a new
    /// reference to the same tensor when the shapes already agree (no pass over the data).
    /// </summary>
    [Primitive(Kind = PrimitiveKind.Reduction, Role = PrimitiveRole.SumTo, Shape = "shape", Linear = true)]
    [Derivative("gradient", "Broadcast(g, gradient.Shape)")]
    [Rewrite("SumTo(x, x.Shape)", "x")] // nothing was broadcast
    public static Tensor SumTo(Tensor gradient, Shape shape)
    {
        if (gradient.Shape == shape) return gradient.Alias();
        if (Broadcasting.Shape("SumTo", gradient.Shape, shape) != gradient.Shape)
            throw new ArgumentException($"SumTo: gradient of shape {gradient.Shape} did not come from broadcasting shape {shape}.");
        int lead = gradient.Rank - shape.Rank;
        var axes = new List<int>();
        for (int i = 0; i < gradient.Rank; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && gradient.Shape[i] != 1)) axes.Add(i);
        }
        using var summed = Sum(gradient, axes.ToArray(), keepDims: true);
        return summed.Reshape(shape);
    }
}
