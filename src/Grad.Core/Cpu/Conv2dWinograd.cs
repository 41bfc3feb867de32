using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// 3×3 convolution with stride 1 and padding 1 by Winograd's minimal filtering F(2×2, 3×3)
/// (Lavin and Gray, 2016). The output is cut into 2×2 tiles; each tile's 4×4 input patch d and
/// each 3×3 filter g are taken to a 4×4 transform domain, V = Bᵀ·d·B and U = G·g·Gᵀ, where the
/// convolution is an element-wise product summed over channels: 16 GEMMs
/// M[ξ] (Cout × tiles) = U[ξ] (Cout × Cin) · V[ξ] (Cin × tiles), one per transform position ξ.
/// Each 2×2 output tile is then Aᵀ·m·A. A tile costs 16 multiplications per channel pair
/// instead of 36, so the GEMMs do 2.25 times less work than im2col's.
/// The input gradient is the same convolution of the output gradient with the filters
/// flipped and their channel axes swapped. The weight gradient is the adjoint of the forward's
/// steps: dM = A·dY·Aᵀ per tile, dU[ξ] = dM[ξ]·V[ξ]ᵀ (16 GEMMs summing over the tiles), and
/// dW = Gᵀ·dU·G. Exact in exact arithmetic; in float the transforms add a rounding error of
/// the order of the GEMM's own.
/// </summary>
internal static class Conv2dWinograd
{
    private const int Positions = WinogradTransforms.Positions;

    /// <summary>
    /// 3×3, stride 1, padding 1, with at least 32 channels on both sides and 16 to 256 output
    /// cells per image: the forward and the weight gradient. Measured on the CNN's layers
    /// (docs/convolution.md): on 4×4, 8×8 and 16×16 planes Winograd is 1.05–1.8 times faster than
    /// im2col; on 2×2 planes (one tile per image) the filter transform dominates.
    /// </summary>
    public static bool Applies(ConvLayout s) =>
        s is { KH: 3, KW: 3, C: >= 32, O: >= 32, Positions: >= 16 and <= 256 }
        && s.Geometry is { StrideH: 1, StrideW: 1, PadH: 1, PadW: 1 };

    /// <summary>
    /// <see cref="Applies"/> for the input gradient, less the 16×16 planes: there it transforms
    /// the output gradient's channels, twice the forward's input channels on the CNN's 64→128
    /// layer, and measured 5–35 % slower than im2col.
    /// </summary>
    public static bool AppliesToInputGradient(ConvLayout s) => Applies(s) && s.Positions < 256;

    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolve<T>(backend, x, s.C, w, s.O, flipped: false, y);

    /// <summary>dX = dY convolved with the filters flipped (W[o, c, 2 − kh, 2 − kw]) as (C, O) filters.</summary>
    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolve<T>(backend, outputGradient, s.O, w, s.C, flipped: true, inputGradient);

    /// <summary>dW = Gᵀ·(Σ over tiles of (A·dY·Aᵀ) ⊙ V)·G, the GEMMs summing over the tiles.</summary>
    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tiles = new WinogradTiling(s.N, s.H, s.W);
        using var v = backend.Allocate(new Shape(Positions, s.C, tiles.Count), x.DType);
        using var dm = backend.Allocate(new Shape(Positions, s.O, tiles.Count), x.DType);
        using var du = backend.Allocate(new Shape(Positions, s.O, s.C), x.DType);
        var (vArray, dmArray, duArray) = (CpuBackend.Array<T>(v), CpuBackend.Array<T>(dm), CpuBackend.Array<T>(du));
        var (xMemory, dyMemory, dwArray) = (CpuBackend.Memory<T>(x), CpuBackend.Memory<T>(outputGradient), CpuBackend.Array<T>(weightGradient));
        int dwOffset = weightGradient.Offset;

        TransformInputs(xMemory, tiles, s.C, vArray);
        ParallelRanges.For(s.O, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.OutputStagingLength);
            for (int o = start; o < end; o++)
            {
                tiles.StageOutput<T>(dyMemory.Span, s.O, o, staging.Span);
                WinogradTransforms.TransformOutputGradient(staging.Span, tiles, s.O, o, dmArray);
            }
        });
        ParallelRanges.For(Positions, 1, (_, start, end) =>
        {
            for (int xi = start; xi < end; xi++)
            {
                Gemm.Multiply<T>(s.O, s.C, tiles.Count,
                    dmArray.AsSpan(xi * s.O * tiles.Count, s.O * tiles.Count), tiles.Count, false,
                    vArray.AsSpan(xi * s.C * tiles.Count, s.C * tiles.Count), tiles.Count, true,
                    duArray.AsSpan(xi * s.O * s.C, s.O * s.C), s.C, accumulate: false);
            }
        });
        ParallelRanges.For(s.O, Math.Max(1, 4096 / s.C), (_, start, end) =>
        {
            for (int o = start; o < end; o++) WinogradTransforms.TransformFilterGradient(duArray, s.O, s.C, o, dwArray.AsSpan(dwOffset));
        });
    }

    private static void Convolve<T>(CpuBackend backend, Tensor input, int inChannels, Tensor w, int outChannels, bool flipped, Tensor output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tiles = new WinogradTiling(input.Shape[0], input.Shape[2], input.Shape[3]);
        using var u = backend.Allocate(new Shape(Positions, outChannels, inChannels), input.DType);
        using var v = backend.Allocate(new Shape(Positions, inChannels, tiles.Count), input.DType);
        using var m = backend.Allocate(new Shape(Positions, outChannels, tiles.Count), input.DType);
        var (uArray, vArray, mArray) = (CpuBackend.Array<T>(u), CpuBackend.Array<T>(v), CpuBackend.Array<T>(m));
        var (wMemory, outputMemory) = (CpuBackend.Memory<T>(w), CpuBackend.Memory<T>(output));

        ParallelRanges.For(outChannels, Math.Max(1, 4096 / inChannels), (_, start, end) =>
        {
            for (int a = start; a < end; a++) WinogradTransforms.TransformFilters(wMemory.Span, outChannels, inChannels, flipped, a, uArray);
        });
        TransformInputs(CpuBackend.Memory<T>(input), tiles, inChannels, vArray);
        // Each thread runs its transform positions' GEMMs on its own (a GEMM inside a job does
        // not split again), so there is no hand-off per GEMM.
        ParallelRanges.For(Positions, 1, (_, start, end) =>
        {
            for (int xi = start; xi < end; xi++)
            {
                Gemm.Multiply<T>(outChannels, tiles.Count, inChannels,
                    uArray.AsSpan(xi * outChannels * inChannels, outChannels * inChannels), inChannels, false,
                    vArray.AsSpan(xi * inChannels * tiles.Count, inChannels * tiles.Count), tiles.Count, false,
                    mArray.AsSpan(xi * outChannels * tiles.Count, outChannels * tiles.Count), tiles.Count, accumulate: false);
            }
        });
        ParallelRanges.For(outChannels, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.OutputStagingLength);
            for (int o = start; o < end; o++)
            {
                WinogradTransforms.TransformOutput(mArray, tiles, outChannels, o, staging.Span);
                tiles.UnstageOutput<T>(staging.Span, outChannels, o, outputMemory.Span);
            }
        });
    }

    /// <summary>V for every input channel, split over the threads.</summary>
    private static void TransformInputs<T>(ReadOnlyMemory<T> x, WinogradTiling tiles, int channels, T[] v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParallelRanges.For(channels, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.InputStagingLength);
            for (int c = start; c < end; c++)
            {
                tiles.StageInput(x.Span, channels, c, staging.Span);
                WinogradTransforms.TransformInput(staging.Span, tiles, channels, c, v);
            }
        });
    }

    /// <summary>A zeroed pooled buffer for one thread's staging.</summary>
    private readonly struct Staging<T> : IDisposable where T : unmanaged
    {
        private readonly T[] _array;
        private readonly int _length;

        public Staging(int length)
        {
            (_array, _length) = (System.Buffers.ArrayPool<T>.Shared.Rent(length), length);
            Span.Clear();
        }

        public Span<T> Span => _array.AsSpan(0, _length);

        public void Dispose() => System.Buffers.ArrayPool<T>.Shared.Return(_array);
    }
}
