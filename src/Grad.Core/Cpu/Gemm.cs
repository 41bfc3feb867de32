using System.Numerics;
using System.Numerics.Tensors;

namespace Grad.Cpu;

/// <summary>General matrix multiply on row-major storage.</summary>
internal static class Gemm
{
    /// <summary>
    /// C (m×n, row stride ldc) = op(A) · op(B), where A is stored m×k (k×m when transposeA) with
    /// row stride lda, and B is stored k×n (n×k when transposeB) with row stride ldb. With
    /// accumulate the product is added to C instead of overwriting it.
    /// </summary>
    public static void Multiply<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * ldc, n);
            if (!accumulate) cRow.Clear();
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                if (!transposeB)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, cRow, cRow);
                    continue;
                }
                for (int j = 0; j < n; j++) cRow[j] += aip * b[j * ldb + p];
            }
        }
    }
}
