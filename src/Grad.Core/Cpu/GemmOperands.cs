using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// One GEMM call's operands as raw pointers and element strides, pinned by the caller for the whole
/// call. op(A)[i, p] = a[i·aRow + p·aCol] and op(B)[p, j] = b[p·bRow + j·bCol], so a transposed
/// operand is only a swap of its two strides.
/// </summary>
internal readonly unsafe struct GemmOperands<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly T* A, B, C;
    public readonly nint ARow, ACol, BRow, BCol, Ldc;
    public readonly int M, N, K;
    public readonly bool Accumulate;

    public GemmOperands(int m, int n, int k, T* a, int lda, bool transposeA, T* b, int ldb, bool transposeB,
        T* c, int ldc, bool accumulate)
    {
        (M, N, K, Ldc, Accumulate) = (m, n, k, ldc, accumulate);
        A = a;
        B = b;
        C = c;
        (ARow, ACol) = transposeA ? ((nint)1, (nint)lda) : (lda, 1);
        (BRow, BCol) = transposeB ? ((nint)1, (nint)ldb) : (ldb, 1);
    }
}
