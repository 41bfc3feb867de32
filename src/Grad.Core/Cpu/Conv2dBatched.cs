using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// Convolution lowered for the whole batch at once: the column matrix is
/// (C·KH·KW) × (N·OH·OW), so each pass is a single large GEMM that the GEMM spreads over the
/// threads. Its output is ordered (O, N, OH·OW) while NCHW is (N, O, OH·OW), so outputs and
/// output gradients are regrouped: a copy of whole OH·OW rows, one pass over the output.
/// A pointwise (1×1, unit stride, unpadded) layer's column matrix is x regrouped the same way.
/// </summary>
internal static class Conv2dBatched
{
    /// <summary>Rows cheaper than this many element copies are not worth a thread.</summary>
    private const int ParallelGrain = 1 << 14;

    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var cols = Lower<T>(backend, x, s);
        using var product = backend.Allocate(new Shape(s.O, s.Columns), x.DType);
        Gemm.Multiply<T>(s.O, s.Columns, s.Patch, CpuBackend.Span<T>(w), s.Patch, false,
            CpuBackend.Span<T>(cols), s.Columns, false,
            CpuBackend.Span<T>(product), s.Columns, accumulate: false);
        SwapLeadingAxes<T>(product, y, s.O, s.N, s.Positions);
    }

    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var grouped = backend.Allocate(new Shape(s.O, s.Columns), outputGradient.DType);
        SwapLeadingAxes<T>(outputGradient, grouped, s.N, s.O, s.Positions);
        using var cols = backend.Allocate(new Shape(s.Patch, s.Columns), outputGradient.DType);
        Gemm.Multiply<T>(s.Patch, s.Columns, s.O, CpuBackend.Span<T>(w), s.Patch, true,
            CpuBackend.Span<T>(grouped), s.Columns, false,
            CpuBackend.Span<T>(cols), s.Columns, accumulate: false);
        if (s.IsPointwise) SwapLeadingAxes<T>(cols, inputGradient, s.C, s.N, s.Positions);
        else Im2Col.Accumulate(CpuBackend.Array<T>(cols), s, CpuBackend.Array<T>(inputGradient), inputGradient.Offset, parallel: true);
    }

    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var grouped = backend.Allocate(new Shape(s.O, s.Columns), outputGradient.DType);
        SwapLeadingAxes<T>(outputGradient, grouped, s.N, s.O, s.Positions);
        using var cols = Lower<T>(backend, x, s);
        Gemm.Multiply<T>(s.O, s.Patch, s.Columns,
            CpuBackend.Span<T>(grouped), s.Columns, false,
            CpuBackend.Span<T>(cols), s.Columns, true,
            CpuBackend.Span<T>(weightGradient), s.Patch, accumulate: false);
    }

    /// <summary>The column matrix of x, in a pooled tensor the caller disposes.</summary>
    private static Tensor Lower<T>(CpuBackend backend, Tensor x, ConvLayout s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cols = backend.Allocate(new Shape(s.Patch, s.Columns), x.DType);
        if (s.IsPointwise) SwapLeadingAxes<T>(x, cols, s.N, s.C, s.Positions);
        else Im2Col.Lower(CpuBackend.Array<T>(x), x.Offset, s, CpuBackend.Array<T>(cols), parallel: true);
        return cols;
    }

    /// <summary>Copies source viewed as (a, b, inner) into target as (b, a, inner).</summary>
    private static void SwapLeadingAxes<T>(Tensor source, Tensor target, int a, int b, int inner) where T : unmanaged
    {
        var from = CpuBackend.Array<T>(source);
        var to = CpuBackend.Array<T>(target);
        int fromOffset = source.Offset, toOffset = target.Offset;
        ParallelRanges.For(a, Math.Max(1, ParallelGrain / (b * inner)), (_, start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                for (int j = 0; j < b; j++)
                    from.AsSpan(fromOffset + (i * b + j) * inner, inner).CopyTo(to.AsSpan(toOffset + (j * a + i) * inner, inner));
            }
        });
    }
}
