using System.Numerics;
using System.Numerics.Tensors;

namespace Grad.Cpu;

/// <summary>
/// Convolution as one GEMM per image, images split over the threads: each thread lowers an image
/// into its own (C·KH·KW) × (OH·OW) column buffer, which stays in cache for the GEMM, and the
/// GEMM reads and writes NCHW planes in place. A GEMM called while another thread's GEMM holds
/// the workers runs on its caller's thread, so the threads do not multiply.
/// A pointwise (1×1, unit stride, unpadded) layer's columns are the image itself.
/// </summary>
internal static class Conv2dPerImage
{
    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = s.Positions;
        ParallelRanges.For(s.N, 1, (_, start, end) =>
        {
            using var cols = ColumnBuffer(backend, x, s);
            for (int n = start; n < end; n++)
            {
                Gemm.Multiply<T>(s.O, p, s.Patch, CpuBackend.Span<T>(w), s.Patch, false,
                    Columns<T>(x, n, s, cols), p, false,
                    CpuBackend.Span<T>(y).Slice(n * s.O * p, s.O * p), p, accumulate: false);
            }
        });
    }

    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = s.Positions, image = s.C * s.H * s.W;
        ParallelRanges.For(s.N, 1, (_, start, end) =>
        {
            using var cols = ColumnBuffer(backend, outputGradient, s);
            for (int n = start; n < end; n++)
            {
                // The columns' gradient; for a pointwise layer that is the image's gradient itself.
                var target = cols is null ? CpuBackend.Span<T>(inputGradient).Slice(n * image, image) : CpuBackend.Span<T>(cols);
                Gemm.Multiply<T>(s.Patch, p, s.O, CpuBackend.Span<T>(w), s.Patch, true,
                    CpuBackend.Span<T>(outputGradient).Slice(n * s.O * p, s.O * p), p, false,
                    target, p, accumulate: false);
                if (cols is not null)
                {
                    Im2Col.Accumulate(CpuBackend.Array<T>(cols), s.OneImage,
                        CpuBackend.Array<T>(inputGradient), inputGradient.Offset + n * image, parallel: false);
                }
            }
        });
    }

    /// <summary>Each range sums its images' dY·Xᵀ into its own buffer (range 0 into the result),
    /// then the buffers are added.</summary>
    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int p = s.Positions, ranges = ParallelRanges.Count(s.N, 1);
        var partials = new Tensor[ranges];
        partials[0] = weightGradient;
        for (int r = 1; r < ranges; r++) partials[r] = backend.Allocate(weightGradient.Shape, weightGradient.DType);
        ParallelRanges.ForRanges(ranges, s.N, (range, start, end) =>
        {
            using var cols = ColumnBuffer(backend, x, s);
            for (int n = start; n < end; n++)
            {
                Gemm.Multiply<T>(s.O, s.Patch, p,
                    CpuBackend.Span<T>(outputGradient).Slice(n * s.O * p, s.O * p), p, false,
                    Columns<T>(x, n, s, cols), p, true,
                    CpuBackend.Span<T>(partials[range]), s.Patch, accumulate: n > start);
            }
        });
        var sum = CpuBackend.Span<T>(weightGradient);
        for (int r = 1; r < ranges; r++)
        {
            TensorPrimitives.Add(sum, CpuBackend.Span<T>(partials[r]), sum);
            partials[r].Dispose();
        }
    }

    /// <summary>A pooled buffer for one image's column matrix, or null for a pointwise layer.</summary>
    private static Tensor? ColumnBuffer(CpuBackend backend, Tensor like, ConvLayout s) =>
        s.IsPointwise ? null : backend.Allocate(new Shape(s.Patch, s.Positions), like.DType);

    /// <summary>Image n's column matrix: lowered into <paramref name="cols"/>, or the image itself.</summary>
    private static ReadOnlySpan<T> Columns<T>(Tensor x, int n, ConvLayout s, Tensor? cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int image = s.C * s.H * s.W;
        if (cols is null) return CpuBackend.Span<T>(x).Slice(n * image, image);
        Im2Col.Lower(CpuBackend.Array<T>(x), x.Offset + n * image, s.OneImage, CpuBackend.Array<T>(cols), parallel: false);
        return CpuBackend.Span<T>(cols);
    }
}
