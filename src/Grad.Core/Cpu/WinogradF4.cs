using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// F(4×4, 3×3): 36 multiplications per 4×4 tile and channel pair instead of 144, four times
/// fewer, with the interpolation points 0, ±1, ±2 and ∞:
/// Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
/// G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1] and
/// Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1].
/// The larger constants cost accuracy: in float32 a tile's rounding error is a few times
/// F(2×2, 3×3)'s, still within the convolution tests' tolerance.
/// </summary>
internal readonly struct WinogradF4 : IWinogradAlgorithm
{
    public static int Tile => 4;
    public static int Size => 6;
    public static WinogradMatrices Matrices => WinogradMatrices.F4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<T>(ReadOnlySpan<Vector256<T>> g, int s, Span<Vector256<T>> u, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g0, g1, g2) = (g[0], g[s], g[2 * s]);
        var sixth = Vector256.Create(T.One / T.CreateTruncating(6));
        var outer = (g0 + g2) * sixth;
        var middle = g1 * sixth;
        // Rows 3 and 4: g0/24 ± g1/12 + g2/6 = (g0/4 + g2)/6 ± g1/12.
        var quarterSum = (g0 * Vector256.Create(T.CreateTruncating(0.25)) + g2) * sixth;
        var halfMiddle = middle * Vector256.Create(T.CreateTruncating(0.5));
        u[0] = g0 * Vector256.Create(T.CreateTruncating(0.25));
        u[t] = -(outer + middle);
        u[2 * t] = middle - outer;
        u[3 * t] = quarterSum + halfMiddle;
        u[4 * t] = quarterSum - halfMiddle;
        u[5 * t] = g2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<T>(ReadOnlySpan<Vector256<T>> d, int s, Span<Vector256<T>> v, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (d0, d1, d2, d3, d4, d5) = (d[0], d[s], d[2 * s], d[3 * s], d[4 * s], d[5 * s]);
        var (four, five, two) = (Vector256.Create(T.CreateTruncating(4)), Vector256.Create(T.CreateTruncating(5)), Vector256.Create(T.CreateTruncating(2)));
        var even1 = d4 - four * d2;    // rows 1 and 2: d4 − 4·d2 ± (d3 − 4·d1)
        var odd1 = d3 - four * d1;
        var even2 = d4 - d2;           // rows 3 and 4: d4 − d2 ± 2·(d3 − d1)
        var odd2 = two * (d3 - d1);
        v[0] = four * d0 - five * d2 + d4;
        v[t] = even1 + odd1;
        v[2 * t] = even1 - odd1;
        v[3 * t] = even2 + odd2;
        v[4 * t] = even2 - odd2;
        v[5 * t] = four * d1 - five * d3 + d5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<T>(ReadOnlySpan<Vector256<T>> m, int s, Span<Vector256<T>> y, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m0, m1, m2, m3, m4, m5) = (m[0], m[s], m[2 * s], m[3 * s], m[4 * s], m[5 * s]);
        var (sum12, difference12, sum34, difference34) = (m1 + m2, m1 - m2, m3 + m4, m3 - m4);
        y[0] = m0 + sum12 + sum34;
        y[t] = difference12 + Vector256.Create(T.CreateTruncating(2)) * difference34;
        y[2 * t] = sum12 + Vector256.Create(T.CreateTruncating(4)) * sum34;
        y[3 * t] = difference12 + Vector256.Create(T.CreateTruncating(8)) * difference34 + m5;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputGradient<T>(ReadOnlySpan<Vector256<T>> dy, int s, Span<Vector256<T>> dm, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (y0, y1, y2, y3) = (dy[0], dy[s], dy[2 * s], dy[3 * s]);
        var (two, four, eight) = (Vector256.Create(T.CreateTruncating(2)), Vector256.Create(T.CreateTruncating(4)), Vector256.Create(T.CreateTruncating(8)));
        var (even1, odd1) = (y0 + y2, y1 + y3);                    // rows 1 and 2
        var (even2, odd2) = (y0 + four * y2, two * y1 + eight * y3); // rows 3 and 4
        dm[0] = y0;
        dm[t] = even1 + odd1;
        dm[2 * t] = even1 - odd1;
        dm[3 * t] = even2 + odd2;
        dm[4 * t] = even2 - odd2;
        dm[5 * t] = y3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterGradient<T>(ReadOnlySpan<Vector256<T>> du, int s, Span<Vector256<T>> dg, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (u0, u1, u2, u3, u4, u5) = (du[0], du[s], du[2 * s], du[3 * s], du[4 * s], du[5 * s]);
        var sixth = Vector256.Create(T.One / T.CreateTruncating(6));
        var (sum12, difference12, sum34, difference34) = (u1 + u2, u2 - u1, u3 + u4, u3 - u4);
        var quarter = Vector256.Create(T.CreateTruncating(0.25));
        var half = Vector256.Create(T.CreateTruncating(0.5));
        // The columns of G, as the rows of Gᵀ: (¼, −⅙, −⅙, 1⁄24, 1⁄24, 0), (0, −⅙, ⅙, 1⁄12, −1⁄12, 0),
        // (0, −⅙, −⅙, ⅙, ⅙, 1).
        dg[0] = u0 * quarter + (sum34 * quarter - sum12) * sixth;
        dg[t] = (difference12 + difference34 * half) * sixth;
        dg[2 * t] = (sum34 - sum12) * sixth + u5;
    }
}
