using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grad.Cpu;

/// <summary>
/// F(2×2, 3×3): 16 multiplications per 2×2 tile and channel pair instead of 36, with
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1] and
/// Aᵀ = [1 1 1 0; 0 1 −1 −1].
/// </summary>
internal readonly struct WinogradF2 : IWinogradAlgorithm
{
    public static int Tile => 2;
    public static int Size => 4;
    public static WinogradMatrices Matrices => WinogradMatrices.F2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Filter<T>(ReadOnlySpan<Vector256<T>> g, int s, Span<Vector256<T>> u, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = Vector256.Create(T.CreateTruncating(0.5));
        var (g0, g1, g2) = (g[0], g[s], g[2 * s]);
        u[0] = g0;
        u[t] = (g0 + g1 + g2) * half;
        u[2 * t] = (g0 - g1 + g2) * half;
        u[3 * t] = g2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<T>(ReadOnlySpan<Vector256<T>> d, int s, Span<Vector256<T>> v, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (d0, d1, d2, d3) = (d[0], d[s], d[2 * s], d[3 * s]);
        v[0] = d0 - d2;
        v[t] = d1 + d2;
        v[2 * t] = d2 - d1;
        v[3 * t] = d1 - d3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<T>(ReadOnlySpan<Vector256<T>> m, int s, Span<Vector256<T>> y, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m0, m1, m2, m3) = (m[0], m[s], m[2 * s], m[3 * s]);
        y[0] = m0 + m1 + m2;
        y[t] = m1 - m2 - m3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OutputGradient<T>(ReadOnlySpan<Vector256<T>> dy, int s, Span<Vector256<T>> dm, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (y0, y1) = (dy[0], dy[s]);
        dm[0] = y0;
        dm[t] = y0 + y1;
        dm[2 * t] = y0 - y1;
        dm[3 * t] = -y1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FilterGradient<T>(ReadOnlySpan<Vector256<T>> du, int s, Span<Vector256<T>> dg, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = Vector256.Create(T.CreateTruncating(0.5));
        var (u0, u1, u2, u3) = (du[0], du[s], du[2 * s], du[3 * s]);
        var sum = (u1 + u2) * half;
        dg[0] = u0 + sum;
        dg[t] = (u1 - u2) * half;
        dg[2 * t] = sum + u3;
    }
}
