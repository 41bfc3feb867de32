using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grad.Cpu;

/// <summary>
/// The transforms of <see cref="Conv2dWinograd"/>, F(2×2, 3×3), each a vector of filters or
/// tiles at a time: filters U = G·g·Gᵀ, input patches V = Bᵀ·d·B, output tiles Aᵀ·m·A, and
/// for the weight gradient their adjoints, dM = A·dY·Aᵀ and dW = Gᵀ·dU·G. Transform-domain
/// arrays are [ξ][row][column], the 16 positions ξ of the 4×4 outermost.
/// </summary>
internal static class WinogradTransforms
{
    public const int Positions = 16;

    /// <summary>U[ξ][a][b] = (G·g·Gᵀ)[ξ] for the filters g from every input channel b to output
    /// channel a, a vector of consecutive b at a time (they are contiguous in U).</summary>
    public static void TransformFilters<T>(ReadOnlySpan<T> w, int outChannels, int inChannels, bool flipped, int a, Span<T> u)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count;
        Span<T> taps = stackalloc T[9 * lanes];
        Span<Vector256<T>> g = stackalloc Vector256<T>[12];
        Span<Vector256<T>> result = stackalloc Vector256<T>[Positions];
        var half = Vector256.Create(T.One / (T.One + T.One));
        // Every filter read lies in w, which holds outChannels·inChannels of them.
        if (w.Length < outChannels * inChannels * 9) throw new ArgumentException("The filters do not fill w.", nameof(w));
        ref T first = ref MemoryMarshal.GetReference(w);
        Span<Vector256<T>> tapRows = stackalloc Vector256<T>[9];
        for (int b0 = 0; b0 < inChannels; b0 += lanes)
        {
            int count = Math.Min(lanes, inChannels - b0);
            // Forward: W[a, b]. Input gradient: W[b, a] rotated by 180°. Filter b0 + lane starts
            // at start + lane·laneStride.
            int start = flipped ? (b0 * outChannels + a) * 9 : (a * inChannels + b0) * 9;
            int laneStride = flipped ? outChannels * 9 : 9;
            if (typeof(T) == typeof(float) && Avx2.IsSupported && count == lanes)
            {
                GatherTaps(ref Unsafe.As<T, float>(ref Unsafe.Add(ref first, start)), laneStride, flipped,
                    MemoryMarshal.Cast<Vector256<T>, Vector256<float>>(tapRows));
            }
            else
            {
                if (count < lanes) taps.Clear();
                for (int lane = 0; lane < count; lane++)
                {
                    ref T filter = ref Unsafe.Add(ref first, start + lane * laneStride);
                    for (int k = 0; k < 9; k++) taps[k * lanes + lane] = Unsafe.Add(ref filter, flipped ? 8 - k : k);
                }
                for (int k = 0; k < 9; k++) tapRows[k] = Vector256.Create<T>(taps.Slice(k * lanes, lanes));
            }
            // G·g down the columns, then ·Gᵀ along the rows.
            for (int k = 0; k < 3; k++)
            {
                var (g0, g1, g2) = (tapRows[k], tapRows[3 + k], tapRows[6 + k]);
                g[k] = g0;
                g[3 + k] = (g0 + g1 + g2) * half;
                g[6 + k] = (g0 - g1 + g2) * half;
                g[9 + k] = g2;
            }
            for (int r = 0; r < 4; r++)
            {
                var (t0, t1, t2) = (g[3 * r], g[3 * r + 1], g[3 * r + 2]);
                result[4 * r] = t0;
                result[4 * r + 1] = (t0 + t1 + t2) * half;
                result[4 * r + 2] = (t0 - t1 + t2) * half;
                result[4 * r + 3] = t2;
            }
            Store(result, u, outChannels * inChannels, a * inChannels + b0, count);
        }
    }

    /// <summary>Tap k of eight float filters, lane j from filter j (laneStride apart), one gather
    /// per tap; a rotated filter reads its taps backwards.</summary>
    private static unsafe void GatherTaps(ref float filter, int laneStride, bool flipped, Span<Vector256<float>> tapRows)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * laneStride;
        fixed (float* start = &filter)
        {
            for (int k = 0; k < 9; k++) tapRows[k] = Avx2.GatherVector256(start + (flipped ? 8 - k : k), lanes, 4);
        }
    }

    /// <summary>Cell (r, q) of eight float tiles' 4×4 patches, lane j from the patch at
    /// <paramref name="origins"/>[j], one gather per cell.</summary>
    private static unsafe void GatherPatches(ref float staging, ReadOnlySpan<int> origins, int pitch, Span<Vector256<float>> cells)
    {
        var lanes = Vector256.Create<int>(origins);
        fixed (float* start = &staging)
        {
            for (int r = 0; r < 4; r++)
            {
                for (int q = 0; q < 4; q++) cells[4 * r + q] = Avx2.GatherVector256(start + r * pitch + q, lanes, 4);
            }
        }
    }

    /// <summary>V[ξ][c][t] = (Bᵀ·d·B)[ξ] for every tile t of input channel c, d the tile's 4×4
    /// input patch in the staging; a vector of consecutive tiles at a time.</summary>
    public static void TransformInput<T>(ReadOnlySpan<T> staging, WinogradTiling tiles, int channels, int c, Span<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, pitch = tiles.InputPitch;
        Span<T> patch = stackalloc T[Positions * lanes];
        Span<Vector256<T>> d = stackalloc Vector256<T>[Positions];
        ref T start = ref MemoryMarshal.GetReference(staging);
        for (int t0 = 0; t0 < tiles.Count; t0 += lanes)
        {
            int count = Math.Min(lanes, tiles.Count - t0);
            if (typeof(T) == typeof(float) && Avx2.IsSupported && count == lanes)
            {
                GatherPatches(ref Unsafe.As<T, float>(ref start), tiles.InputOrigins.AsSpan(t0, lanes), pitch,
                    MemoryMarshal.Cast<Vector256<T>, Vector256<float>>(d));
            }
            else
            {
                if (count < lanes) patch.Clear();
                for (int lane = 0; lane < count; lane++)
                {
                    ref T origin = ref Unsafe.Add(ref start, tiles.InputOrigins[t0 + lane]);
                    for (int r = 0; r < 4; r++)
                    {
                        for (int q = 0; q < 4; q++) patch[(4 * r + q) * lanes + lane] = Unsafe.Add(ref origin, r * pitch + q);
                    }
                }
                for (int k = 0; k < Positions; k++) d[k] = Vector256.Create<T>(patch.Slice(k * lanes, lanes));
            }
            // Bᵀ·d down the columns, then ·B along the rows, in place.
            for (int q = 0; q < 4; q++)
            {
                var (d0, d1, d2, d3) = (d[q], d[4 + q], d[8 + q], d[12 + q]);
                (d[q], d[4 + q], d[8 + q], d[12 + q]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
            }
            for (int r = 0; r < 4; r++)
            {
                var (d0, d1, d2, d3) = (d[4 * r], d[4 * r + 1], d[4 * r + 2], d[4 * r + 3]);
                (d[4 * r], d[4 * r + 1], d[4 * r + 2], d[4 * r + 3]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
            }
            Store(d, v, channels * tiles.Count, c * tiles.Count + t0, count);
        }
    }

    /// <summary>Each 2×2 output tile of channel o is Aᵀ·m·A of its 4×4 m, written to the output
    /// staging; a vector of consecutive tiles at a time.</summary>
    public static void TransformOutput<T>(ReadOnlySpan<T> m, WinogradTiling tiles, int channels, int o, Span<T> staging)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, stride = channels * tiles.Count, pitch = tiles.OutputPitch;
        Span<T> block = stackalloc T[lanes];
        Span<Vector256<T>> row = stackalloc Vector256<T>[8];
        Span<T> cells = stackalloc T[4 * lanes];
        ref T start = ref MemoryMarshal.GetReference(staging);
        for (int t0 = 0; t0 < tiles.Count; t0 += lanes)
        {
            int count = Math.Min(lanes, tiles.Count - t0);
            int at = o * tiles.Count + t0;
            // Aᵀ·m down the columns.
            for (int q = 0; q < 4; q++)
            {
                var m0 = Load(m, q * stride + at, count, block);
                var m1 = Load(m, (4 + q) * stride + at, count, block);
                var m2 = Load(m, (8 + q) * stride + at, count, block);
                var m3 = Load(m, (12 + q) * stride + at, count, block);
                row[q] = m0 + m1 + m2;
                row[4 + q] = m1 - m2 - m3;
            }
            // ·A along the rows.
            for (int r = 0; r < 2; r++)
            {
                var (t0v, t1v, t2v, t3v) = (row[4 * r], row[4 * r + 1], row[4 * r + 2], row[4 * r + 3]);
                (t0v + t1v + t2v).CopyTo(cells.Slice(2 * r * lanes, lanes));
                (t1v - t2v - t3v).CopyTo(cells.Slice((2 * r + 1) * lanes, lanes));
            }
            for (int lane = 0; lane < count; lane++)
            {
                ref T origin = ref Unsafe.Add(ref start, tiles.OutputOrigins[t0 + lane]);
                origin = cells[lane];
                Unsafe.Add(ref origin, 1) = cells[lanes + lane];
                Unsafe.Add(ref origin, pitch) = cells[2 * lanes + lane];
                Unsafe.Add(ref origin, pitch + 1) = cells[3 * lanes + lane];
            }
        }
    }

    /// <summary>dM[ξ][o][t] = (A·dy·Aᵀ)[ξ] for every tile t of output channel o, dy the tile's 2×2
    /// output gradient in the output staging (zero where the tile hangs over the edge); the
    /// adjoint of <see cref="TransformOutput"/>.</summary>
    public static void TransformOutputGradient<T>(ReadOnlySpan<T> staging, WinogradTiling tiles, int channels, int o, Span<T> dm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, pitch = tiles.OutputPitch;
        Span<T> cells = stackalloc T[4 * lanes];
        Span<Vector256<T>> result = stackalloc Vector256<T>[Positions];
        ref T start = ref MemoryMarshal.GetReference(staging);
        for (int t0 = 0; t0 < tiles.Count; t0 += lanes)
        {
            int count = Math.Min(lanes, tiles.Count - t0);
            if (count < lanes) cells.Clear();
            for (int lane = 0; lane < count; lane++)
            {
                ref T origin = ref Unsafe.Add(ref start, tiles.OutputOrigins[t0 + lane]);
                cells[lane] = origin;
                cells[lanes + lane] = Unsafe.Add(ref origin, 1);
                cells[2 * lanes + lane] = Unsafe.Add(ref origin, pitch);
                cells[3 * lanes + lane] = Unsafe.Add(ref origin, pitch + 1);
            }
            var y00 = Vector256.Create<T>(cells[..lanes]);
            var y01 = Vector256.Create<T>(cells.Slice(lanes, lanes));
            var y10 = Vector256.Create<T>(cells.Slice(2 * lanes, lanes));
            var y11 = Vector256.Create<T>(cells.Slice(3 * lanes, lanes));
            // A·dy down the columns: rows y0, y0 + y1, y0 − y1, −y1; then ·Aᵀ along the rows alike.
            Span<Vector256<T>> column0 = [y00, y00 + y10, y00 - y10, -y10];
            Span<Vector256<T>> column1 = [y01, y01 + y11, y01 - y11, -y11];
            for (int r = 0; r < 4; r++)
            {
                result[4 * r] = column0[r];
                result[4 * r + 1] = column0[r] + column1[r];
                result[4 * r + 2] = column0[r] - column1[r];
                result[4 * r + 3] = -column1[r];
            }
            Store(result, dm, channels * tiles.Count, o * tiles.Count + t0, count);
        }
    }

    /// <summary>dW[o, c] = Gᵀ·dU[o, c]·G for every input channel c, a vector of consecutive c at a
    /// time; the adjoint of <see cref="TransformFilters"/>.</summary>
    public static void TransformFilterGradient<T>(ReadOnlySpan<T> du, int outChannels, int inChannels, int o, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, stride = outChannels * inChannels;
        var half = Vector256.Create(T.One / (T.One + T.One));
        Span<T> block = stackalloc T[lanes];
        Span<Vector256<T>> t = stackalloc Vector256<T>[12];
        Span<T> taps = stackalloc T[9 * lanes];
        for (int c0 = 0; c0 < inChannels; c0 += lanes)
        {
            int count = Math.Min(lanes, inChannels - c0), at = o * inChannels + c0;
            // Gᵀ·dU down the columns: rows u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3.
            for (int q = 0; q < 4; q++)
            {
                var u0 = Load(du, q * stride + at, count, block);
                var u1 = Load(du, (4 + q) * stride + at, count, block);
                var u2 = Load(du, (8 + q) * stride + at, count, block);
                var u3 = Load(du, (12 + q) * stride + at, count, block);
                t[q] = u0 + (u1 + u2) * half;
                t[4 + q] = (u1 - u2) * half;
                t[8 + q] = (u1 + u2) * half + u3;
            }
            // ·G along the rows, alike.
            for (int k = 0; k < 3; k++)
            {
                var (t0, t1, t2, t3) = (t[4 * k], t[4 * k + 1], t[4 * k + 2], t[4 * k + 3]);
                (t0 + (t1 + t2) * half).CopyTo(taps.Slice(3 * k * lanes, lanes));
                ((t1 - t2) * half).CopyTo(taps.Slice((3 * k + 1) * lanes, lanes));
                ((t1 + t2) * half + t3).CopyTo(taps.Slice((3 * k + 2) * lanes, lanes));
            }
            for (int lane = 0; lane < count; lane++)
            {
                var filter = dw.Slice((o * inChannels + c0 + lane) * 9, 9);
                for (int k = 0; k < 9; k++) filter[k] = taps[k * lanes + lane];
            }
        }
    }

    /// <summary>Writes the first <paramref name="count"/> lanes of each of the 16 vectors to
    /// <c>target[ξ·stride + at …]</c>.</summary>
    private static void Store<T>(ReadOnlySpan<Vector256<T>> values, Span<T> target, int stride, int at, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == Vector256<T>.Count && (long)(Positions - 1) * stride + at + count <= target.Length)
        {
            ref T start = ref MemoryMarshal.GetReference(target);
            for (int xi = 0; xi < Positions; xi++) values[xi].StoreUnsafe(ref start, (nuint)(xi * stride + at));
            return;
        }
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        for (int xi = 0; xi < Positions; xi++)
        {
            values[xi].CopyTo(lanes);
            lanes[..count].CopyTo(target.Slice(xi * stride + at, count));
        }
    }

    /// <summary><paramref name="count"/> elements from <paramref name="start"/>, zeros after them.</summary>
    private static Vector256<T> Load<T>(ReadOnlySpan<T> source, int start, int count, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == Vector256<T>.Count) return Vector256.Create<T>(source.Slice(start, count));
        scratch.Clear();
        source.Slice(start, count).CopyTo(scratch);
        return Vector256.Create<T>(scratch);
    }
}
