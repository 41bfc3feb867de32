using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grad.Cpu;

/// <summary>
/// The two-dimensional transforms of <see cref="Conv2dWinograd"/> for an algorithm
/// <typeparamref name="TA"/>, each a vector of filters or tiles at a time: filters U = G·g·Gᵀ,
/// input patches V = Bᵀ·d·B, output tiles Aᵀ·m·A, and for the weight gradient their adjoints,
/// dM = A·dY·Aᵀ and dW = Gᵀ·dU·G. Each applies the algorithm's one-dimensional transform down
/// the columns, then along the rows. Transform-domain arrays are [ξ][row][column], the α²
/// positions ξ outermost.
/// </summary>
internal static class WinogradTransforms<TA> where TA : IWinogradAlgorithm
{
    public static int Positions => TA.Size * TA.Size;

    /// <summary>U[ξ][a][b] = (G·g·Gᵀ)[ξ] for the filters g from every input channel b to output
    /// channel a, a vector of consecutive b at a time (they are contiguous in U).</summary>
    public static void TransformFilters<T>(ReadOnlySpan<T> w, int outChannels, int inChannels, bool flipped, int a, Span<T> u)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, size = TA.Size;
        Span<T> taps = stackalloc T[9 * lanes];
        Span<Vector256<T>> tapRows = stackalloc Vector256<T>[9];
        Span<Vector256<T>> columns = stackalloc Vector256<T>[3 * size];
        Span<Vector256<T>> result = stackalloc Vector256<T>[size * size];
        // Every filter read lies in w, which holds outChannels·inChannels of them.
        if (w.Length < outChannels * inChannels * 9) throw new ArgumentException("The filters do not fill w.", nameof(w));
        ref T first = ref MemoryMarshal.GetReference(w);
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
            // G·g down the three columns (α × 3), then ·Gᵀ along the α rows.
            for (int q = 0; q < 3; q++) TA.Filter<T>(tapRows[q..], 3, columns[q..], 3);
            for (int r = 0; r < size; r++) TA.Filter<T>(columns[(3 * r)..], 1, result[(size * r)..], 1);
            Store(result, u, outChannels * inChannels, a * inChannels + b0, count);
        }
    }

    /// <summary>V[ξ][c][t] = (Bᵀ·d·B)[ξ] for every tile t of input channel c, d the tile's α×α
    /// input patch in the staging; a vector of consecutive tiles at a time.</summary>
    public static void TransformInput<T>(ReadOnlySpan<T> staging, WinogradTiling tiles, int channels, int c, Span<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = TA.Size;
        Span<Vector256<T>> d = stackalloc Vector256<T>[size * size];
        Span<Vector256<T>> columns = stackalloc Vector256<T>[size * size];
        for (int t0 = 0; t0 < tiles.Count; t0 += Vector256<T>.Count)
        {
            int count = Math.Min(Vector256<T>.Count, tiles.Count - t0);
            GatherCells(staging, tiles.InputOrigins.AsSpan(t0, count), tiles.InputPitch, size, d);
            for (int q = 0; q < size; q++) TA.Input<T>(d[q..], size, columns[q..], size);
            for (int r = 0; r < size; r++) TA.Input<T>(columns[(size * r)..], 1, d[(size * r)..], 1);
            Store(d, v, channels * tiles.Count, c * tiles.Count + t0, count);
        }
    }

    /// <summary>Each m×m output tile of channel o is Aᵀ·m·A of its α×α m, written to the output
    /// staging; a vector of consecutive tiles at a time.</summary>
    public static void TransformOutput<T>(ReadOnlySpan<T> m, WinogradTiling tiles, int channels, int o, Span<T> staging)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, size = TA.Size, tile = TA.Tile, stride = channels * tiles.Count;
        Span<T> block = stackalloc T[lanes];
        Span<Vector256<T>> values = stackalloc Vector256<T>[size * size];
        Span<Vector256<T>> columns = stackalloc Vector256<T>[tile * size];
        Span<Vector256<T>> cells = stackalloc Vector256<T>[tile * tile];
        for (int t0 = 0; t0 < tiles.Count; t0 += lanes)
        {
            int count = Math.Min(lanes, tiles.Count - t0), at = o * tiles.Count + t0;
            for (int xi = 0; xi < values.Length; xi++) values[xi] = Load(m, xi * stride + at, count, block);
            for (int q = 0; q < size; q++) TA.Output<T>(values[q..], size, columns[q..], size);
            for (int r = 0; r < tile; r++) TA.Output<T>(columns[(size * r)..], 1, cells[(tile * r)..], 1);
            ScatterCells(cells, tiles.OutputOrigins.AsSpan(t0, count), tiles.OutputPitch, staging);
        }
    }

    /// <summary>dM[ξ][o][t] = (A·dy·Aᵀ)[ξ] for every tile t of output channel o, dy the tile's m×m
    /// output gradient in the output staging (zero where the tile hangs over the edge); the
    /// adjoint of <see cref="TransformOutput"/>.</summary>
    public static void TransformOutputGradient<T>(ReadOnlySpan<T> staging, WinogradTiling tiles, int channels, int o, Span<T> dm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = TA.Size, tile = TA.Tile;
        Span<Vector256<T>> cells = stackalloc Vector256<T>[tile * tile];
        Span<Vector256<T>> columns = stackalloc Vector256<T>[size * tile];
        Span<Vector256<T>> result = stackalloc Vector256<T>[size * size];
        for (int t0 = 0; t0 < tiles.Count; t0 += Vector256<T>.Count)
        {
            int count = Math.Min(Vector256<T>.Count, tiles.Count - t0);
            GatherCells(staging, tiles.OutputOrigins.AsSpan(t0, count), tiles.OutputPitch, tile, cells);
            for (int q = 0; q < tile; q++) TA.OutputGradient<T>(cells[q..], tile, columns[q..], tile);
            for (int r = 0; r < size; r++) TA.OutputGradient<T>(columns[(tile * r)..], 1, result[(size * r)..], 1);
            Store(result, dm, channels * tiles.Count, o * tiles.Count + t0, count);
        }
    }

    /// <summary>dW[o, c] = Gᵀ·dU[o, c]·G for every input channel c, a vector of consecutive c at a
    /// time; the adjoint of <see cref="TransformFilters"/>.</summary>
    public static void TransformFilterGradient<T>(ReadOnlySpan<T> du, int outChannels, int inChannels, int o, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, size = TA.Size, stride = outChannels * inChannels;
        Span<T> block = stackalloc T[lanes];
        Span<Vector256<T>> values = stackalloc Vector256<T>[size * size];
        Span<Vector256<T>> columns = stackalloc Vector256<T>[3 * size];
        Span<Vector256<T>> taps = stackalloc Vector256<T>[9];
        Span<T> lane = stackalloc T[lanes];
        for (int c0 = 0; c0 < inChannels; c0 += lanes)
        {
            int count = Math.Min(lanes, inChannels - c0), at = o * inChannels + c0;
            for (int xi = 0; xi < values.Length; xi++) values[xi] = Load(du, xi * stride + at, count, block);
            for (int q = 0; q < size; q++) TA.FilterGradient<T>(values[q..], size, columns[q..], size);
            for (int r = 0; r < 3; r++) TA.FilterGradient<T>(columns[(size * r)..], 1, taps[(3 * r)..], 1);
            for (int k = 0; k < 9; k++)
            {
                taps[k].CopyTo(lane);
                for (int j = 0; j < count; j++) dw[(at + j) * 9 + k] = lane[j];
            }
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

    /// <summary>Cell (r, q) of the side × side squares at <paramref name="origins"/> into
    /// <c>cells[side·r + q]</c>, lane j from square j; lanes past the origins are zero.</summary>
    private static unsafe void GatherCells<T>(ReadOnlySpan<T> staging, ReadOnlySpan<int> origins, int pitch, int side, Span<Vector256<T>> cells)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T start = ref MemoryMarshal.GetReference(staging);
        if (typeof(T) == typeof(float) && Avx2.IsSupported && origins.Length == Vector256<float>.Count)
        {
            var lanes = Vector256.Create<int>(origins);
            fixed (T* origin = &start)
            {
                for (int r = 0; r < side; r++)
                {
                    for (int q = 0; q < side; q++)
                        cells[side * r + q] = Avx2.GatherVector256((float*)origin + r * pitch + q, lanes, 4).As<float, T>();
                }
            }
            return;
        }
        Span<T> lane = stackalloc T[Vector256<T>.Count];
        for (int r = 0; r < side; r++)
        {
            for (int q = 0; q < side; q++)
            {
                lane.Clear();
                for (int j = 0; j < origins.Length; j++) lane[j] = Unsafe.Add(ref start, origins[j] + r * pitch + q);
                cells[side * r + q] = Vector256.Create<T>(lane);
            }
        }
    }

    /// <summary>The adjoint of <see cref="GatherCells"/> for the output tiles: lane j of each cell
    /// to the tile at <paramref name="origins"/>[j].</summary>
    private static void ScatterCells<T>(ReadOnlySpan<Vector256<T>> cells, ReadOnlySpan<int> origins, int pitch, Span<T> staging)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tile = TA.Tile;
        Span<T> lane = stackalloc T[Vector256<T>.Count];
        for (int r = 0; r < tile; r++)
        {
            for (int q = 0; q < tile; q++)
            {
                cells[tile * r + q].CopyTo(lane);
                for (int j = 0; j < origins.Length; j++) staging[origins[j] + r * pitch + q] = lane[j];
            }
        }
    }

    /// <summary>Writes the first <paramref name="count"/> lanes of each vector ξ to
    /// <c>target[ξ·stride + at …]</c>.</summary>
    private static void Store<T>(ReadOnlySpan<Vector256<T>> values, Span<T> target, int stride, int at, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == Vector256<T>.Count && (long)(values.Length - 1) * stride + at + count <= target.Length)
        {
            ref T start = ref MemoryMarshal.GetReference(target);
            for (int xi = 0; xi < values.Length; xi++) values[xi].StoreUnsafe(ref start, (nuint)(xi * stride + at));
            return;
        }
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        for (int xi = 0; xi < values.Length; xi++)
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
