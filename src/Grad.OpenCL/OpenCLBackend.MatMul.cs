namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    public Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        int batchA = a.Shape[0], batchB = b.Shape[0], batch = Math.Max(batchA, batchB);
        int m = transposeA ? a.Shape[2] : a.Shape[1];
        int k = transposeA ? a.Shape[1] : a.Shape[2];
        int n = transposeB ? b.Shape[1] : b.Shape[2];
        var c = Allocate(new Shape(batch, m, n), a.DType);
        var product = new GemmOperands(m, n, k, batch)
        {
            A = a, AOffset = a.Offset, ABatch = batchA == 1 ? 0 : m * k, TransposeA = transposeA,
            B = b, BOffset = b.Offset, BBatch = batchB == 1 ? 0 : k * n, TransposeB = transposeB,
            C = c, COffset = 0, CBatch = m * n,
        };
        Multiply(product);
        return c;
    }

    /// <summary>Enqueues C[i] (+)= op(A[i])·op(B[i]) for every batch i (or C (+)= Σᵢ … with
    /// <see cref="GemmOperands.SumBatches"/>), on the tiled kernel or, for small products, the direct one.</summary>
    internal void Multiply(in GemmOperands p)
    {
        int outputs = p.SumBatches ? 1 : p.Batches;
        if ((long)p.M * p.N * outputs == 0) return;
        if (p.K == 0 || p.Batches == 0)
        {
            if (!p.Accumulate) FillRange(p.C, p.COffset, (long)p.M * p.N * outputs);
            return;
        }
        var gemm = Gemm;
        bool direct = (long)p.M * p.N * p.K < gemm.DirectBelow;
        if (!direct && gemm.Columns && p.TransposeB)
        {
            // The column kernel reads B as (K, N): transpose it once, O(K·N) against the product's O(M·N·K).
            using var b = TransposedBatches(p.B, p.BOffset, p.BBatch == 0 ? 1 : p.Batches, p.N, p.K);
            Multiply(p with { B = b, BOffset = 0, BBatch = p.BBatch == 0 ? 0 : p.K * p.N, TransposeB = false });
            return;
        }
        string kernel = direct ? "gemm_direct" : gemm.Columns ? "gemm_columns" : "gemm_tiled";
        var launch = Launch("Gemm", kernel, RealOptions(p.C.DType) + " " + gemm.Options)
            .Int(p.M).Int(p.N).Int(p.K)
            .Buffer(p.A).Int(p.AOffset).Int(p.ABatch).Int(p.TransposeA ? 1 : 0)
            .Buffer(p.B).Int(p.BOffset).Int(p.BBatch).Int(p.TransposeB ? 1 : 0)
            .Buffer(p.C).Int(p.COffset).Int(p.CBatch)
            .Int(p.Batches).Int(p.SumBatches ? 1 : 0).Int(p.Accumulate ? 1 : 0);
        if (direct)
        {
            launch.Run((long)p.M * p.N * outputs);
            return;
        }
        if (gemm.Columns)
        {
            launch.Run([(p.N + gemm.WorkN - 1) / gemm.WorkN, (p.M + gemm.WorkM - 1) / gemm.WorkM, outputs], [1, 1, 1]);
            return;
        }
        long groupsM = (p.M + gemm.TileM - 1) / gemm.TileM, groupsN = (p.N + gemm.TileN - 1) / gemm.TileN;
        launch.Run([groupsM * gemm.GroupM, groupsN * gemm.GroupN, outputs], [gemm.GroupM, gemm.GroupN, 1]);
    }

    /// <summary>The (rows, columns) matrices of <paramref name="batches"/> batches starting at
    /// <paramref name="offset"/>, each transposed into a new contiguous tensor.</summary>
    private Tensor TransposedBatches(Tensor source, int offset, int batches, int rows, int columns)
    {
        var transposed = Allocate(new Shape(batches, columns, rows), source.DType);
        using var view = source.View(new Shape(batches, columns, rows), [rows * columns, 1, columns], offset);
        CopyInto(view, transposed);
        return transposed;
    }
}
