using System.Numerics;
using System.Numerics.Tensors;

namespace Grad.Cpu;

/// <summary>
/// Lowering of NCHW input to the column matrix of a convolution, and its adjoint.
/// Row (c·KH + i)·KW + j, column n·OH·OW + oh·OW + ow of the matrix holds
/// x[n, c, oh·strideH − padH + i, ow·strideW − padW + j], or zero where that falls in the padding.
/// Both kernels work one (n, c) input plane at a time: a plane owns KH·KW row segments of the
/// matrix and nothing else, so planes run in parallel without sharing a cache line of output
/// other than at segment edges, which each plane writes whole.
/// </summary>
internal static class Im2Col
{
    /// <summary>Writes the column-matrix segments of plane (n, c) of x into <paramref name="cols"/>.</summary>
    public static void LowerPlane<T>(ReadOnlySpan<T> plane, in ConvLayout s, int n, int c, Span<T> cols)
        where T : unmanaged, INumberBase<T>
    {
        var g = s.Geometry;
        int ow = s.OW;
        for (int i = 0; i < s.KH; i++)
        {
            var (ohStart, ohEnd) = ValidOutputs(i, g.PadH, g.StrideH, s.H, s.OH);
            for (int j = 0; j < s.KW; j++)
            {
                var (owStart, owEnd) = ValidOutputs(j, g.PadW, g.StrideW, s.W, ow);
                var row = cols.Slice(((c * s.KH + i) * s.KW + j) * s.Columns + n * s.Positions, s.Positions);
                if (ohStart >= ohEnd || owStart >= owEnd)
                {
                    row.Clear();
                    continue;
                }
                row[..(ohStart * ow)].Clear();
                row[(ohEnd * ow)..].Clear();
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    var target = row.Slice(oh * ow, ow);
                    var source = plane.Slice((oh * g.StrideH - g.PadH + i) * s.W);
                    target[..owStart].Clear();
                    target[owEnd..].Clear();
                    int first = owStart * g.StrideW - g.PadW + j;
                    if (g.StrideW == 1)
                    {
                        source.Slice(first, owEnd - owStart).CopyTo(target[owStart..owEnd]);
                        continue;
                    }
                    for (int o = owStart, w = first; o < owEnd; o++, w += g.StrideW) target[o] = source[w];
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="LowerPlane"/>: overwrites input-gradient plane (n, c) with the
    /// sum of every column-matrix entry that was read from each of its cells.</summary>
    public static void AccumulatePlane<T>(ReadOnlySpan<T> cols, in ConvLayout s, int n, int c, Span<T> plane)
        where T : unmanaged, INumberBase<T>
    {
        var g = s.Geometry;
        int ow = s.OW;
        plane.Clear();
        for (int i = 0; i < s.KH; i++)
        {
            var (ohStart, ohEnd) = ValidOutputs(i, g.PadH, g.StrideH, s.H, s.OH);
            for (int j = 0; j < s.KW; j++)
            {
                var (owStart, owEnd) = ValidOutputs(j, g.PadW, g.StrideW, s.W, ow);
                if (owStart >= owEnd) continue;
                var row = cols.Slice(((c * s.KH + i) * s.KW + j) * s.Columns + n * s.Positions, s.Positions);
                int count = owEnd - owStart, first = owStart * g.StrideW - g.PadW + j;
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    var source = row.Slice(oh * ow + owStart, count);
                    var target = plane.Slice((oh * g.StrideH - g.PadH + i) * s.W + first);
                    if (g.StrideW == 1)
                    {
                        TensorPrimitives.Add(target[..count], source, target);
                        continue;
                    }
                    for (int o = 0, w = 0; o < count; o++, w += g.StrideW) target[w] += source[o];
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
        return (start, Math.Max(start, end));
    }
}
