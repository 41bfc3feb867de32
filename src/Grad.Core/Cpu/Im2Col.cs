using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grad.Cpu;

/// <summary>
/// Lowering of NCHW input to the column matrix of a convolution, and its adjoint.
/// Row (c·KH + i)·KW + j, column n·OH·OW + oh·OW + ow of the matrix holds
/// x[n, c, oh·strideH − padH + i, ow·strideW − padW + j], or zero where that falls in the padding.
/// An (n, c) input plane owns KH·KW segments of OH·OW columns and nothing else, so planes run in
/// parallel. Planes are visited channel-major (c·N + n): consecutive planes fill adjacent
/// segments of the same rows.
/// Wide outputs at unit stride copy whole rows; anything else (the CNN's 2×2 to 8×8 planes, where
/// a row is a few elements and per-row bookkeeping would cost more than the copy) gathers through
/// a table that maps each (kernel cell, output cell) to its input cell or to padding.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>Output rows at least this wide are copied as blocks; narrower ones are gathered.</summary>
    private const int RowCopyWidth = 16;

    /// <summary>Planes cheaper than this many element copies are not worth a thread.</summary>
    private const int ParallelGrain = 1 << 14;

    /// <summary>Marks a table entry that reads padding.</summary>
    private const int Padding = -1;

    /// <summary>Writes the column matrix of x (contiguous from <paramref name="xOffset"/>) into
    /// <paramref name="cols"/>, on several threads when <paramref name="parallel"/>.</summary>
    public static void Lower<T>(T[] x, int xOffset, ConvLayout s, T[] cols, bool parallel) where T : unmanaged, INumberBase<T>
    {
        int[]? table = CopiesRows(s) ? null : GatherTable(s);
        ParallelRanges.For(s.N * s.C, parallel ? PlanesPerRange(s) : int.MaxValue, (_, start, end) =>
        {
            fixed (T* from = x, to = cols)
            fixed (int* map = table)
            {
                for (int q = start; q < end; q++)
                {
                    int c = q / s.N, n = q - c * s.N;
                    T* plane = from + xOffset + (long)(n * s.C + c) * s.H * s.W;
                    T* segments = to + (long)c * s.KH * s.KW * s.Columns + (long)n * s.Positions;
                    if (map == null) LowerRows(plane, s, segments);
                    else LowerByTable(plane, s, map, segments);
                }
            }
        });
        if (table != null) ArrayPool<int>.Shared.Return(table);
    }

    /// <summary>The adjoint of <see cref="Lower"/>: overwrites dx (N, C, H, W) with the sum of every
    /// column-matrix entry that was read from each of its cells.</summary>
    public static void Accumulate<T>(T[] cols, ConvLayout s, T[] dx, int dxOffset, bool parallel) where T : unmanaged, INumberBase<T>
    {
        int[]? table = CopiesRows(s) ? null : GatherTable(s);
        ParallelRanges.For(s.N * s.C, parallel ? PlanesPerRange(s) : int.MaxValue, (_, start, end) =>
        {
            fixed (T* from = cols, to = dx)
            fixed (int* map = table)
            {
                for (int q = start; q < end; q++)
                {
                    int c = q / s.N, n = q - c * s.N;
                    T* plane = to + dxOffset + (long)(n * s.C + c) * s.H * s.W;
                    T* segments = from + (long)c * s.KH * s.KW * s.Columns + (long)n * s.Positions;
                    Clear(plane, s.H * s.W);
                    if (map == null) AccumulateRows(segments, s, plane);
                    else AccumulateByTable(segments, s, map, plane);
                }
            }
        });
        if (table != null) ArrayPool<int>.Shared.Return(table);
    }

    private static bool CopiesRows(in ConvLayout s) => s.Geometry.StrideW == 1 && s.OW >= RowCopyWidth;

    private static int PlanesPerRange(in ConvLayout s) => Math.Max(1, ParallelGrain / (s.KH * s.KW * s.Positions));

    /// <summary>Entry (i·KW + j)·OH·OW + oh·OW + ow: the input cell that kernel cell (i, j) reads for
    /// output cell (oh, ow), as h·W + w, or <see cref="Padding"/>. Rented; return it to the shared pool.</summary>
    private static int[] GatherTable(in ConvLayout s)
    {
        var g = s.Geometry;
        var table = ArrayPool<int>.Shared.Rent(s.KH * s.KW * s.Positions);
        int at = 0;
        for (int i = 0; i < s.KH; i++)
        for (int j = 0; j < s.KW; j++)
        for (int oh = 0; oh < s.OH; oh++)
        for (int ow = 0; ow < s.OW; ow++)
        {
            int h = oh * g.StrideH - g.PadH + i, w = ow * g.StrideW - g.PadW + j;
            table[at++] = h >= 0 && h < s.H && w >= 0 && w < s.W ? h * s.W + w : Padding;
        }
        return table;
    }

    private static void LowerByTable<T>(T* plane, in ConvLayout s, int* table, T* segments) where T : unmanaged, INumberBase<T>
    {
        int positions = s.Positions;
        for (int k = 0, kernel = s.KH * s.KW; k < kernel; k++, table += positions, segments += s.Columns)
        {
            for (int p = 0; p < positions; p++)
            {
                int cell = table[p];
                segments[p] = cell == Padding ? T.Zero : plane[cell];
            }
        }
    }

    private static void AccumulateByTable<T>(T* segments, in ConvLayout s, int* table, T* plane) where T : unmanaged, INumberBase<T>
    {
        int positions = s.Positions;
        for (int k = 0, kernel = s.KH * s.KW; k < kernel; k++, table += positions, segments += s.Columns)
        {
            for (int p = 0; p < positions; p++)
            {
                int cell = table[p];
                if (cell != Padding) plane[cell] += segments[p];
            }
        }
    }

    /// <summary>Unit horizontal stride: each output row reads one contiguous run of an input row.</summary>
    private static void LowerRows<T>(T* plane, in ConvLayout s, T* segments) where T : unmanaged, INumberBase<T>
    {
        int ow = s.OW;
        for (int i = 0; i < s.KH; i++)
        {
            var (ohStart, ohEnd) = ValidOutputs(i, s.Geometry.PadH, s.Geometry.StrideH, s.H, s.OH);
            for (int j = 0; j < s.KW; j++, segments += s.Columns)
            {
                var (owStart, owEnd) = ValidOutputs(j, s.Geometry.PadW, 1, s.W, ow);
                Clear(segments, ohStart * ow);
                Clear(segments + ohEnd * ow, (s.OH - ohEnd) * ow);
                int count = owEnd - owStart, first = owStart - s.Geometry.PadW + j;
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    T* target = segments + oh * ow;
                    Clear(target, owStart);
                    Clear(target + owEnd, ow - owEnd);
                    T* source = plane + (oh * s.Geometry.StrideH - s.Geometry.PadH + i) * s.W + first;
                    ShortCopy.Copy(target + owStart, source, (uint)(count * sizeof(T)));
                }
            }
        }
    }

    private static void AccumulateRows<T>(T* segments, in ConvLayout s, T* plane) where T : unmanaged, INumberBase<T>
    {
        int ow = s.OW;
        for (int i = 0; i < s.KH; i++)
        {
            var (ohStart, ohEnd) = ValidOutputs(i, s.Geometry.PadH, s.Geometry.StrideH, s.H, s.OH);
            for (int j = 0; j < s.KW; j++, segments += s.Columns)
            {
                var (owStart, owEnd) = ValidOutputs(j, s.Geometry.PadW, 1, s.W, ow);
                int count = owEnd - owStart, first = owStart - s.Geometry.PadW + j;
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    T* target = plane + (oh * s.Geometry.StrideH - s.Geometry.PadH + i) * s.W + first;
                    Add(segments + oh * ow + owStart, target, count);
                }
            }
        }
    }

    /// <summary>The outputs o in [start, end) whose input coordinate o·stride − pad + offset lies
    /// in [0, size): the ones that read real input rather than padding.</summary>
    private static (int Start, int End) ValidOutputs(int offset, int pad, int stride, int size, int outputs)
    {
        int lowest = pad - offset, highest = size - 1 + pad - offset;
        int start = lowest <= 0 ? 0 : (lowest + stride - 1) / stride;
        int end = highest < 0 ? 0 : Math.Min(outputs, highest / stride + 1);
        return (Math.Min(start, outputs), Math.Max(Math.Min(start, outputs), end));
    }

    private static void Clear<T>(T* target, int count) where T : unmanaged
    {
        for (int i = 0; i < count; i++) target[i] = default;
    }

    /// <summary>target[o] += source[o], a vector at a time.</summary>
    private static void Add<T>(T* source, T* target, int count) where T : unmanaged, INumberBase<T>
    {
        int o = 0;
        for (; o <= count - Vector<T>.Count; o += Vector<T>.Count)
            Vector.Store(Vector.Load(target + o) + Vector.Load(source + o), target + o);
        for (; o < count; o++) target[o] += source[o];
    }
}
