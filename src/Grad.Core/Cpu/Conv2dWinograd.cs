using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// 3×3 convolution with stride 1 and padding 1 by Winograd's minimal filtering F(m×m, 3×3)
/// (Lavin and Gray, 2016), m = 4 or 2 (<see cref="WinogradF4"/>, <see cref="WinogradF2"/>).
/// The output is cut into m×m tiles; each tile's α×α input patch d (α = m + 2) and each 3×3
/// filter g are taken to an α×α transform domain, V = Bᵀ·d·B and U = G·g·Gᵀ, where the
/// convolution is an element-wise product summed over channels: α² GEMMs
/// M[ξ] (Cout × tiles) = U[ξ] (Cout × Cin) · V[ξ] (Cin × tiles), one per transform position ξ.
/// Each output tile is then Aᵀ·m·A. A tile costs α² multiplications per channel pair instead
/// of 9·m², so the GEMMs do 4 (m = 4) or 2.25 (m = 2) times less work than im2col's.
/// The input gradient is the same convolution of the output gradient with the filters
/// flipped and their channel axes swapped. The weight gradient is the adjoint of the forward's
/// steps: dM = A·dY·Aᵀ per tile, dU[ξ] = dM[ξ]·V[ξ]ᵀ (α² GEMMs summing over the tiles), and
/// dW = Gᵀ·dU·G. Exact in exact arithmetic; in float the transforms add a rounding error of
/// the order of the GEMM's own, a few times larger for F(4×4), whose constants reach 8.
/// </summary>
internal static class Conv2dWinograd
{
    /// <summary>
    /// 3×3, stride 1, padding 1, with at least 32 channels on both sides and 4×4 to 32×32
    /// output cells per image, for all three passes. Measured (docs/convolution.md): on 4×4 to
    /// 32×32 planes Winograd is faster than im2col; on 2×2 planes (one tile per image) the
    /// filter transform dominates. Above 32×32 it is unmeasured, and its transform-domain
    /// buffers, 2.25 to 4 times the input and output of the whole batch, grow with the planes.
    /// </summary>
    public static bool Applies(ConvLayout s) =>
        s is { KH: 3, KW: 3, C: >= 32, O: >= 32, Positions: >= 16 and <= 1024 }
        && s.Geometry is { StrideH: 1, StrideW: 1, PadH: 1, PadW: 1 };

    /// <summary>
    /// F(4×4, 3×3) where it needs under three quarters of F(2×2, 3×3)'s multiplications (56 %
    /// on planes whose sides are multiples of 4) and gives its GEMMs at least 64 tiles. Measured
    /// in batches of 32: on 8×8 and 16×16 planes (128 and 512 tiles) F(4×4) takes 0.6–0.85 of
    /// F(2×2)'s time; on 10×10 and 14×14 (81 % and 73 % of the products) the two are even; on
    /// 5×5 and 6×6, where the counts tie, F(2×2), whose transforms are cheaper, is 5–30 %
    /// faster. On 4×4 planes (32 tiles) F(4×4) is 0–15 % slower: each of its 36 GEMMs then
    /// reads its whole transformed filter bank (O × C) for only 32 columns.
    /// </summary>
    public static bool PrefersF4(ConvLayout s) =>
        4 * Multiplications<WinogradF4>(s) < 3 * Multiplications<WinogradF2>(s)
        && s.N * TilesPerImage<WinogradF4>(s) >= 64;

    /// <summary>Transform-domain products per image and channel pair: tiles × α².</summary>
    private static long Multiplications<TA>(ConvLayout s) where TA : IWinogradAlgorithm =>
        (long)TilesPerImage<TA>(s) * TA.Size * TA.Size;

    private static int TilesPerImage<TA>(ConvLayout s) where TA : IWinogradAlgorithm =>
        WinogradTiling.PerImage(s.OH, s.OW, TA.Tile);

    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (PrefersF4(s)) Convolve<T, WinogradF4>(backend, x, s.C, w, s.O, flipped: false, y);
        else Convolve<T, WinogradF2>(backend, x, s.C, w, s.O, flipped: false, y);
    }

    /// <summary>dX = dY convolved with the filters flipped (W[o, c, 2 − kh, 2 − kw]) as (C, O) filters.</summary>
    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (PrefersF4(s)) Convolve<T, WinogradF4>(backend, outputGradient, s.O, w, s.C, flipped: true, inputGradient);
        else Convolve<T, WinogradF2>(backend, outputGradient, s.O, w, s.C, flipped: true, inputGradient);
    }

    /// <summary>dW = Gᵀ·(Σ over tiles of (A·dY·Aᵀ) ⊙ V)·G, the GEMMs summing over the tiles.</summary>
    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (PrefersF4(s)) BackwardWeight<T, WinogradF4>(backend, outputGradient, x, s, weightGradient);
        else BackwardWeight<T, WinogradF2>(backend, outputGradient, x, s, weightGradient);
    }

    private static void BackwardWeight<T, TA>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : IWinogradAlgorithm
    {
        int positions = WinogradTransforms<TA>.Positions;
        var tiles = new WinogradTiling(s.N, s.H, s.W, TA.Tile);
        using var v = backend.Allocate(new Shape(positions, s.C, tiles.Count), x.DType);
        using var dm = backend.Allocate(new Shape(positions, s.O, tiles.Count), x.DType);
        using var du = backend.Allocate(new Shape(positions, s.O, s.C), x.DType);
        var (vArray, dmArray, duArray) = (CpuBackend.Array<T>(v), CpuBackend.Array<T>(dm), CpuBackend.Array<T>(du));
        var (xMemory, dyMemory, dwArray) = (CpuBackend.Memory<T>(x), CpuBackend.Memory<T>(outputGradient), CpuBackend.Array<T>(weightGradient));
        int dwOffset = weightGradient.Offset;

        TransformInputs<T, TA>(xMemory, tiles, s.C, vArray);
        ParallelRanges.For(s.O, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.OutputStagingLength);
            for (int o = start; o < end; o++)
            {
                tiles.StageOutput<T>(dyMemory.Span, s.O, o, staging.Span);
                WinogradTransforms<TA>.TransformOutputGradient(staging.Span, tiles, s.O, o, dmArray);
            }
        });
        ParallelRanges.ForEachDynamic(positions, xi =>
            Gemm.Multiply<T>(s.O, s.C, tiles.Count,
                dmArray.AsSpan(xi * s.O * tiles.Count, s.O * tiles.Count), tiles.Count, false,
                vArray.AsSpan(xi * s.C * tiles.Count, s.C * tiles.Count), tiles.Count, true,
                duArray.AsSpan(xi * s.O * s.C, s.O * s.C), s.C, accumulate: false));
        ParallelRanges.For(s.O, Math.Max(1, 4096 / s.C), (_, start, end) =>
        {
            for (int o = start; o < end; o++) WinogradTransforms<TA>.TransformFilterGradient(duArray, s.O, s.C, o, dwArray.AsSpan(dwOffset));
        });
    }

    private static void Convolve<T, TA>(CpuBackend backend, Tensor input, int inChannels, Tensor w, int outChannels, bool flipped, Tensor output)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : IWinogradAlgorithm
    {
        int positions = WinogradTransforms<TA>.Positions;
        var tiles = new WinogradTiling(input.Shape[0], input.Shape[2], input.Shape[3], TA.Tile);
        using var u = backend.Allocate(new Shape(positions, outChannels, inChannels), input.DType);
        using var v = backend.Allocate(new Shape(positions, inChannels, tiles.Count), input.DType);
        using var m = backend.Allocate(new Shape(positions, outChannels, tiles.Count), input.DType);
        var (uArray, vArray, mArray) = (CpuBackend.Array<T>(u), CpuBackend.Array<T>(v), CpuBackend.Array<T>(m));
        var (wMemory, outputMemory) = (CpuBackend.Memory<T>(w), CpuBackend.Memory<T>(output));

        ParallelRanges.For(outChannels, Math.Max(1, 4096 / inChannels), (_, start, end) =>
        {
            for (int a = start; a < end; a++) WinogradTransforms<TA>.TransformFilters(wMemory.Span, outChannels, inChannels, flipped, a, uArray);
        });
        TransformInputs<T, TA>(CpuBackend.Memory<T>(input), tiles, inChannels, vArray);
        // Each GEMM runs on one thread (a GEMM inside a job does not split again), the threads
        // taking the transform positions one at a time, so there is no hand-off per GEMM and a
        // slowed core holds up no one.
        ParallelRanges.ForEachDynamic(positions, xi =>
            Gemm.Multiply<T>(outChannels, tiles.Count, inChannels,
                uArray.AsSpan(xi * outChannels * inChannels, outChannels * inChannels), inChannels, false,
                vArray.AsSpan(xi * inChannels * tiles.Count, inChannels * tiles.Count), tiles.Count, false,
                mArray.AsSpan(xi * outChannels * tiles.Count, outChannels * tiles.Count), tiles.Count, accumulate: false));
        ParallelRanges.For(outChannels, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.OutputStagingLength);
            for (int o = start; o < end; o++)
            {
                WinogradTransforms<TA>.TransformOutput(mArray, tiles, outChannels, o, staging.Span);
                tiles.UnstageOutput<T>(staging.Span, outChannels, o, outputMemory.Span);
            }
        });
    }

    /// <summary>V for every input channel, split over the threads.</summary>
    private static void TransformInputs<T, TA>(ReadOnlyMemory<T> x, WinogradTiling tiles, int channels, T[] v)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : IWinogradAlgorithm
    {
        ParallelRanges.For(channels, 1, (_, start, end) =>
        {
            using var staging = new Staging<T>(tiles.InputStagingLength);
            for (int c = start; c < end; c++)
            {
                tiles.StageInput(x.Span, channels, c, staging.Span);
                WinogradTransforms<TA>.TransformInput(staging.Span, tiles, channels, c, v);
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
