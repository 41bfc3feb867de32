using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// A register-blocked GEMM micro-kernel: it multiplies one packed MR×kc panel of A by one packed
/// kc×NR panel of B and writes (or adds) the MR×NR result into C. Kernels are structs so that the
/// driver, generic over the kernel type, is compiled once per kernel with MR and NR as constants.
/// </summary>
internal interface IGemmMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of C per tile: each is one broadcast element of A per k step.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile: a whole number of SIMD vectors of B per k step.</summary>
    static abstract int NR { get; }

    /// <summary>
    /// C[0..MR, 0..NR] (row stride ldc) = (or += when accumulate) Σ_p a[p·MR + r] · b[p·NR + j].
    /// </summary>
    static abstract unsafe void Run(int kc, T* a, T* b, T* c, int ldc, bool accumulate);

    /// <summary>
    /// <see cref="Run"/> for the left NR/2 columns only: the last, narrow panel of a matrix whose
    /// width leaves at most half a tile over (N = 100 with NR = 32), at half the multiply-adds.
    /// B is packed as for <see cref="Run"/> (NR per k step); its right half is not read.
    /// </summary>
    static abstract unsafe void RunHalfWidth(int kc, T* a, T* b, T* c, int ldc, bool accumulate);
}
