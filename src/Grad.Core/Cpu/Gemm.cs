using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grad.Cpu;

/// <summary>The micro-kernels, widest first.</summary>
internal enum GemmKernel { Portable, Avx2, Avx512 }

/// <summary>
/// General matrix multiply on row-major storage, BLIS/GotoBLAS style: operands are packed into
/// contiguous panels (<see cref="GemmPacking"/>), blocked for the caches (<see cref="GemmDriver{T, TKernel}"/>),
/// multiplied by a register-blocked SIMD micro-kernel, and split over <see cref="CpuBackend.Threads"/>.
/// </summary>
internal static class Gemm
{
    /// <summary>Multiply-adds below which one more thread costs more (waking it) than it saves.</summary>
    private const long MinWorkPerThread = 1L << 20;

    /// <summary>The fastest kernel this CPU runs.</summary>
    public static GemmKernel BestKernel { get; } =
        Vector512.IsHardwareAccelerated ? GemmKernel.Avx512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernel.Avx2
        : GemmKernel.Portable;

    public static bool IsSupported(GemmKernel kernel) => kernel <= BestKernel;

    /// <summary>
    /// C (m×n, row stride ldc) = op(A) · op(B), where A is stored m×k (k×m when transposeA) with
    /// row stride lda, and B is stored k×n (n×k when transposeB) with row stride ldb. With
    /// accumulate the product is added to C instead of overwriting it.
    /// </summary>
    public static void Multiply<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate) where T : unmanaged, IFloatingPointIeee754<T> =>
        Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate, BestKernel);

    /// <summary><see cref="Multiply{T}(int, int, int, ReadOnlySpan{T}, int, bool, ReadOnlySpan{T}, int, bool, Span{T}, int, bool)"/>
    /// with a chosen micro-kernel (tests run every kernel the machine supports).</summary>
    internal static unsafe void Multiply<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, GemmKernel kernel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: sizes must be ≥ 0, got m={m}, n={n}, k={k}.");
        if (!IsSupported(kernel))
            throw new PlatformNotSupportedException($"Gemm: the {kernel} kernel needs instructions this CPU lacks.");
        CheckOperand("A", a.Length, transposeA ? k : m, transposeA ? m : k, lda);
        CheckOperand("B", b.Length, transposeB ? n : k, transposeB ? k : n, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            // An empty sum: C = 0, or C unchanged when accumulating.
            if (!accumulate) for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands<T>(m, n, k, pa, lda, transposeA, pb, ldb, transposeB, pc, ldc, accumulate);
            int threads = (int)Math.Clamp((long)m * n * k / MinWorkPerThread, 1, CpuBackend.Threads);
            if (threads == 1)
            {
                RunBlock(operands, kernel, 0, m, 0, n);
                return;
            }
            // Cut the dimension with more tiles, into bands of whole tiles.
            var (mr, nr) = TileOf<T>(kernel);
            int rowTiles = (m + mr - 1) / mr, colTiles = (n + nr - 1) / nr;
            bool splitRows = rowTiles >= colTiles;
            int tiles = splitRows ? rowTiles : colTiles;
            int parts = Math.Min(threads, tiles);
            int band = (tiles + parts - 1) / parts * (splitRows ? mr : nr);
            CpuWorkers.Run(GemmJob<T>.For(operands, kernel, splitRows, band), parts);
        }
    }

    /// <summary>Computes the rectangle rows [row0, row0+rows) × columns [col0, col0+cols) of C.</summary>
    internal static void RunBlock<T>(in GemmOperands<T> g, GemmKernel kernel, int row0, int rows, int col0, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kernel)
        {
            case GemmKernel.Avx512: GemmDriver<T, GemmMicroKernel512<T>>.Run(g, row0, rows, col0, cols); break;
            case GemmKernel.Avx2: GemmDriver<T, GemmMicroKernel256<T>>.Run(g, row0, rows, col0, cols); break;
            default: GemmDriver<T, GemmMicroKernelPortable<T>>.Run(g, row0, rows, col0, cols); break;
        }
    }

    private static (int MR, int NR) TileOf<T>(GemmKernel kernel) where T : unmanaged, IFloatingPointIeee754<T> => kernel switch
    {
        GemmKernel.Avx512 => (GemmMicroKernel512<T>.MR, GemmMicroKernel512<T>.NR),
        GemmKernel.Avx2 => (GemmMicroKernel256<T>.MR, GemmMicroKernel256<T>.NR),
        _ => (GemmMicroKernelPortable<T>.MR, GemmMicroKernelPortable<T>.NR),
    };

    private static void CheckOperand(string name, int length, int rows, int cols, int stride)
    {
        if (rows == 0 || cols == 0) return;
        if (stride < cols)
            throw new ArgumentOutOfRangeException(name, $"Gemm: {name} has {cols} columns but row stride {stride}.");
        long needed = (long)(rows - 1) * stride + cols;
        if (length < needed)
            throw new ArgumentException($"Gemm: {name} ({rows}×{cols}, row stride {stride}) needs {needed} elements, got {length}.", name);
    }
}
