namespace Grad;

/// <summary>NumPy broadcasting: shapes are aligned at their last axis; sizes must match or be 1.</summary>
public static class Broadcasting
{
    public static Shape Shape(string op, params ReadOnlySpan<Shape> shapes)
    {
        int rank = 0;
        foreach (var s in shapes) rank = Math.Max(rank, s.Rank);
        var dims = new int[rank];
        dims.AsSpan().Fill(1);
        foreach (var s in shapes)
        {
            for (int i = 0; i < s.Rank; i++)
            {
                int axis = rank - s.Rank + i;
                int d = s[i];
                if (d == dims[axis] || d == 1) continue;
                if (dims[axis] == 1) { dims[axis] = d; continue; }
                throw new ArgumentException(
                    $"{op}: shapes {string.Join(" and ", shapes.ToArray().Select(x => x.ToString()))} cannot be broadcast together (axis {axis}: {dims[axis]} vs {d}).");
            }
        }
        return new Shape(dims);
    }

    /// <summary>The broadcast shape of several tensors, without an array of their shapes (an
    /// element-wise kernel asks for it on every call).</summary>
    public static Shape Shape(string op, ReadOnlySpan<Tensor> operands)
    {
        if (operands.Length > Fusion.ElementwiseKernel.MaxInputs)
            return Shape(op, operands.ToArray().Select(t => t.Shape).ToArray());
        var buffer = new ShapeBuffer();
        Span<Shape> shapes = buffer;
        for (int k = 0; k < operands.Length; k++) shapes[k] = operands[k].Shape;
        return Shape(op, shapes[..operands.Length]);
    }

    [System.Runtime.CompilerServices.InlineArray(Fusion.ElementwiseKernel.MaxInputs)]
    private struct ShapeBuffer
    {
        private Shape _first;
    }

    /// <summary>Strides that read <paramref name="t"/> as if it had shape <paramref name="target"/>:
    /// broadcast axes get stride 0.</summary>
    public static int[] StridesFor(Tensor t, Shape target)
    {
        var strides = new int[target.Rank];
        WriteStrides(t, target, strides);
        return strides;
    }

    /// <summary><see cref="StridesFor"/> into a caller's buffer of length <c>target.Rank</c>.</summary>
    public static void WriteStrides(Tensor t, Shape target, Span<int> strides)
    {
        int lead = target.Rank - t.Rank;
        strides[..lead].Clear();
        for (int i = 0; i < t.Rank; i++)
            strides[lead + i] = t.Shape[i] == 1 && target[lead + i] != 1 ? 0 : t.Strides[i];
    }
}
