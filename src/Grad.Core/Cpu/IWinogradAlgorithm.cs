using System.Numerics;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// One of Winograd's minimal filtering algorithms F(m×m, 3×3) (Lavin and Gray, 2016): an m×m
/// output tile from an α×α input patch, α = m + 2, through an α×α transform domain. Each
/// algorithm gives its three matrices as one-dimensional transforms, and their adjoints where
/// a gradient needs them; <see cref="WinogradTransforms{TA}"/> applies each down the columns and
/// then along the rows of a tile. Every transform reads <c>source[i·sourceStride]</c> and writes
/// <c>target[i·targetStride]</c>, a vector of filters or tiles per element.
/// </summary>
internal interface IWinogradAlgorithm
{
    /// <summary>m, the output tile's side.</summary>
    static abstract int Tile { get; }

    /// <summary>α = m + 2, the input patch's and the transform domain's side.</summary>
    static abstract int Size { get; }

    /// <summary>Bᵀ, G and Aᵀ, which the transforms below compute in a factored form.</summary>
    static abstract WinogradMatrices Matrices { get; }

    /// <summary>u = G·g: three filter taps to α.</summary>
    static abstract void Filter<T>(ReadOnlySpan<Vector256<T>> source, int sourceStride, Span<Vector256<T>> target, int targetStride)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>v = Bᵀ·d: α input cells to α.</summary>
    static abstract void Input<T>(ReadOnlySpan<Vector256<T>> source, int sourceStride, Span<Vector256<T>> target, int targetStride)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>y = Aᵀ·m: α transform-domain values to the m output cells.</summary>
    static abstract void Output<T>(ReadOnlySpan<Vector256<T>> source, int sourceStride, Span<Vector256<T>> target, int targetStride)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dm = A·dy, the adjoint of <see cref="Output"/>: m output gradients to α.</summary>
    static abstract void OutputGradient<T>(ReadOnlySpan<Vector256<T>> source, int sourceStride, Span<Vector256<T>> target, int targetStride)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>dg = Gᵀ·du, the adjoint of <see cref="Filter"/>: α values to three tap gradients.</summary>
    static abstract void FilterGradient<T>(ReadOnlySpan<Vector256<T>> source, int sourceStride, Span<Vector256<T>> target, int targetStride)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
