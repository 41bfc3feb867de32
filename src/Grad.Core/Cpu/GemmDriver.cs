using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// The blocked loop nest around one micro-kernel, for one rectangle of C (one thread's share).
/// Loop order, outermost first, and where each packed block is meant to live:
/// rows of A in blocks of MC (the packed MC×KC block of A stays in L3 and is swept once per
/// NC block) → k in blocks of KC → columns of B in blocks of NC (the packed KC×NC block of B is
/// kept in L2) → MR-row micro-panels of A (one MR×KC panel, ~18 KiB, stays in L1) → NR-column
/// micro-panels of B streamed from L2 through the kernel.
/// </summary>
internal static unsafe class GemmDriver<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : struct, IGemmMicroKernel<T>
{
    public static void Run(in GemmOperands<T> g, int row0, int rows, int col0, int cols)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int kcMax = GemmBlocking.KC<T>();
        int mcMax = GemmBlocking.MC / mr * mr, ncMax = GemmBlocking.NC / nr * nr;
        int mcCap = RoundUp(Math.Min(rows, mcMax), mr), ncCap = RoundUp(Math.Min(cols, ncMax), nr);
        int kcCap = Math.Min(g.K, kcMax);
        T* packedA = GemmPackBuffer<T>.Get(mcCap * kcCap + ncCap * kcCap);
        T* packedB = packedA + mcCap * kcCap;
        T* edge = stackalloc T[mr * nr];

        for (int ic = 0; ic < rows; ic += mcMax)
        {
            int mc = Math.Min(mcMax, rows - ic);
            for (int pc = 0; pc < g.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, g.K - pc);
                // Later k blocks add onto the partial sums the earlier ones left in C.
                bool accumulate = g.Accumulate || pc > 0;
                GemmPacking.Pack(g.A + (row0 + ic) * g.ARow + pc * g.ACol, g.ARow, g.ACol, mc, kc, mr, packedA);
                for (int jc = 0; jc < cols; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, cols - jc);
                    GemmPacking.Pack(g.B + pc * g.BRow + (col0 + jc) * g.BCol, g.BCol, g.BRow, nc, kc, nr, packedB);
                    T* cBlock = g.C + (row0 + ic) * g.Ldc + col0 + jc;
                    MacroKernel(mc, nc, kc, packedA, packedB, cBlock, g.Ldc, accumulate, edge);
                }
            }
        }
    }

    /// <summary>C block (mc×nc) (+)= packed A block · packed B block, tile by tile.</summary>
    private static void MacroKernel(int mc, int nc, int kc, T* packedA, T* packedB, T* c, nint ldc,
        bool accumulate, T* edge)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        for (int ir = 0; ir < mc; ir += mr)
        {
            T* aPanel = packedA + ir * kc;
            T* cRow = c + ir * ldc;
            int rowsHere = Math.Min(mr, mc - ir);
            for (int jr = 0; jr < nc; jr += nr)
            {
                T* bPanel = packedB + jr * kc;
                int colsHere = Math.Min(nr, nc - jr);
                if (rowsHere == mr && colsHere == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, cRow + jr, (int)ldc, accumulate);
                    continue;
                }
                // A partial tile: compute the padded tile aside (only its left half when that
                // holds every valid column), then copy its valid part.
                if (colsHere <= nr / 2) TKernel.RunHalfWidth(kc, aPanel, bPanel, edge, nr, accumulate: false);
                else TKernel.Run(kc, aPanel, bPanel, edge, nr, accumulate: false);
                CopyEdge(edge, nr, cRow + jr, ldc, rowsHere, colsHere, accumulate);
            }
        }
    }

    private static void CopyEdge(T* tile, int nr, T* c, nint ldc, int rows, int cols, bool accumulate)
    {
        for (int r = 0; r < rows; r++, tile += nr, c += ldc)
        {
            var source = new ReadOnlySpan<T>(tile, cols);
            var target = new Span<T>(c, cols);
            if (accumulate) System.Numerics.Tensors.TensorPrimitives.Add(source, target, target);
            else source.CopyTo(target);
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
