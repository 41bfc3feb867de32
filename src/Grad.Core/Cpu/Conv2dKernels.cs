using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// 2-D convolution as GEMMs over the column matrix of <see cref="Im2Col"/>, lowered for the whole
/// batch at once so that each pass is a single large GEMM (the deep layers have 4 or 16 output
/// cells per image, far too few columns for a GEMM per image). With X the (C·KH·KW) × (N·OH·OW)
/// column matrix, W the weights as (O, C·KH·KW) and Y the output as (O, N·OH·OW):
/// forward Y = W·X, input gradient dX = Wᵀ·dY (then col2im), weight gradient dW = dY·Xᵀ.
/// Y's (O, N) order differs from NCHW's (N, O), so outputs and output gradients are regrouped,
/// a copy of whole OH·OW rows that costs one pass over the output.
/// Every tensor passed in is contiguous; outputs are written whole.
/// </summary>
internal static class Conv2dKernels
{
    /// <summary>Rows cheaper than this many element copies are not worth a thread.</summary>
    private const int ParallelGrain = 1 << 14;

    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = CpuBackend.Span<T>(w);
        if (s.IsPointwise)
        {
            // y[n] (O, H·W) = W (O, C) · x[n] (C, H·W), written in place.
            int p = s.Positions;
            for (int n = 0; n < s.N; n++)
            {
                Gemm.Multiply<T>(s.O, p, s.C, weights, s.C, false,
                    CpuBackend.Span<T>(x).Slice(n * s.C * p, s.C * p), p, false,
                    CpuBackend.Span<T>(y).Slice(n * s.O * p, s.O * p), p, accumulate: false);
            }
            return;
        }
        using var cols = Lower<T>(backend, x, s);
        using var product = backend.Allocate(new Shape(s.O, s.Columns), x.DType);
        Gemm.Multiply<T>(s.O, s.Columns, s.Patch, weights, s.Patch, false,
            CpuBackend.Span<T>(cols), s.Columns, false,
            CpuBackend.Span<T>(product), s.Columns, accumulate: false);
        SwapLeadingAxes<T>(product, y, s.O, s.N, s.Positions);
    }

    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weights = CpuBackend.Span<T>(w);
        if (s.IsPointwise)
        {
            // dx[n] (C, H·W) = Wᵀ (C, O) · dy[n] (O, H·W).
            int p = s.Positions;
            for (int n = 0; n < s.N; n++)
            {
                Gemm.Multiply<T>(s.C, p, s.O, weights, s.C, true,
                    CpuBackend.Span<T>(outputGradient).Slice(n * s.O * p, s.O * p), p, false,
                    CpuBackend.Span<T>(inputGradient).Slice(n * s.C * p, s.C * p), p, accumulate: false);
            }
            return;
        }
        using var grouped = backend.Allocate(new Shape(s.O, s.Columns), outputGradient.DType);
        SwapLeadingAxes<T>(outputGradient, grouped, s.N, s.O, s.Positions);
        using var cols = backend.Allocate(new Shape(s.Patch, s.Columns), outputGradient.DType);
        Gemm.Multiply<T>(s.Patch, s.Columns, s.O, weights, s.Patch, true,
            CpuBackend.Span<T>(grouped), s.Columns, false,
            CpuBackend.Span<T>(cols), s.Columns, accumulate: false);

        Im2Col.Accumulate(CpuBackend.Array<T>(cols), s, CpuBackend.Array<T>(inputGradient), inputGradient.Offset);
    }

    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = CpuBackend.Span<T>(weightGradient);
        if (s.IsPointwise)
        {
            // dW (O, C) = Σₙ dy[n] (O, H·W) · x[n]ᵀ (H·W, C).
            int p = s.Positions;
            for (int n = 0; n < s.N; n++)
            {
                Gemm.Multiply<T>(s.O, s.C, p,
                    CpuBackend.Span<T>(outputGradient).Slice(n * s.O * p, s.O * p), p, false,
                    CpuBackend.Span<T>(x).Slice(n * s.C * p, s.C * p), p, true,
                    result, s.C, accumulate: n > 0);
            }
            return;
        }
        using var grouped = backend.Allocate(new Shape(s.O, s.Columns), outputGradient.DType);
        SwapLeadingAxes<T>(outputGradient, grouped, s.N, s.O, s.Positions);
        using var cols = Lower<T>(backend, x, s);
        Gemm.Multiply<T>(s.O, s.Patch, s.Columns,
            CpuBackend.Span<T>(grouped), s.Columns, false,
            CpuBackend.Span<T>(cols), s.Columns, true,
            result, s.Patch, accumulate: false);
    }

    /// <summary>The column matrix of x, in a pooled tensor the caller disposes.</summary>
    private static Tensor Lower<T>(CpuBackend backend, Tensor x, ConvLayout s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cols = backend.Allocate(new Shape(s.Patch, s.Columns), x.DType);
        Im2Col.Lower(CpuBackend.Array<T>(x), x.Offset, s, CpuBackend.Array<T>(cols));
        return cols;
    }

    /// <summary>Copies source viewed as (a, b, inner) into target as (b, a, inner).</summary>
    private static void SwapLeadingAxes<T>(Tensor source, Tensor target, int a, int b, int inner) where T : unmanaged
    {
        var from = CpuBackend.Array<T>(source);
        var to = CpuBackend.Array<T>(target);
        int fromOffset = source.Offset, toOffset = target.Offset;
        ParallelRanges.For(a, Math.Max(1, ParallelGrain / (b * inner)), (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                for (int j = 0; j < b; j++)
                    from.AsSpan(fromOffset + (i * b + j) * inner, inner).CopyTo(to.AsSpan(toOffset + (j * a + i) * inner, inner));
            }
        });
    }
}
