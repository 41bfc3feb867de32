namespace Grad;

public static partial class Ops
{
    /// <summary>
    /// Matrix product with NumPy's matmul rules: (…, m, k) · (…, k, n) → (…, m, n), batch axes
    /// broadcast, a rank-1 operand is a row (left) or column (right) vector whose axis is dropped.
    /// A transposed view (such as <c>W.T</c>) is read in place, without a copy.
    /// </summary>
    [Primitive(Broadcasts = true, Shape = "MatrixProduct(a, b)")]
    [Derivative("a", "MatMul(g, Transpose(b))")]
    [Derivative("b", "MatMul(Transpose(a), g)")]
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        OpChecks.Compatible("MatMul", a, b);
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"MatMul: operands must have rank ≥ 1, got shapes {a.Shape} and {b.Shape}; use * for scalars.");

        using var left = a.Rank == 1 ? a.Unsqueeze(0) : a.Alias();
        using var right = b.Rank == 1 ? b.Unsqueeze(1) : b.Alias();
        int m = left.Shape[^2], k = left.Shape[^1], k2 = right.Shape[^2], n = right.Shape[^1];
        if (k != k2)
            throw new ArgumentException($"MatMul: inner dimensions differ: {a.Shape} · {b.Shape} ({k} vs {k2}).");

        var batchShape = Broadcasting.Shape("MatMul", BatchShape(left), BatchShape(right));
        using var a3 = AsBatchedMatrices(left, batchShape, out bool transposeA);
        using var b3 = AsBatchedMatrices(right, batchShape, out bool transposeB);
        using var product = a.Backend.MatMul(a3, b3, transposeA, transposeB);

        var dims = batchShape.Dims.ToArray().ToList();
        if (a.Rank > 1) dims.Add(m);
        if (b.Rank > 1) dims.Add(n);
        return product.Reshape(dims.ToArray());
    }

    private static Shape BatchShape(Tensor t) => new(t.Shape.Dims[..^2]);

    /// <summary>Views an operand as contiguous (batch, rows, cols) storage for the backend, noticing
    /// when its last two axes are a transposed contiguous matrix so the GEMM reads it in place.</summary>
    private static Tensor AsBatchedMatrices(Tensor t, Shape batchShape, out bool transposed)
    {
        int rows = t.Shape[^2], cols = t.Shape[^1];
        int batch = BatchShape(t).ElementCount;
        if (batch != 1 && batch != batchShape.ElementCount)
        {
            // Partly broadcast batch axes: materialise the full batch.
            using var expanded = Broadcast(t, new Shape([.. batchShape.Dims, rows, cols]));
            transposed = false;
            return expanded.Contiguous().Reshape(batchShape.ElementCount, rows, cols);
        }
        transposed = IsTransposedMatrix(t);
        if (transposed)
            return t.View(new Shape(batch, cols, rows), [rows * cols, rows, 1], t.Offset);
        using var dense = t.Contiguous();
        return dense.Reshape(batch, rows, cols);
    }

    private static bool IsTransposedMatrix(Tensor t)
    {
        int rows = t.Shape[^2], cols = t.Shape[^1];
        if (rows == 1 || cols == 1 || t.Strides[^2] != 1 || t.Strides[^1] != rows) return false;
        int expected = rows * cols;
        for (int i = t.Rank - 3; i >= 0; i--)
        {
            if (t.Shape[i] != 1 && t.Strides[i] != expected) return false;
            expected *= t.Shape[i];
        }
        return true;
    }
}
