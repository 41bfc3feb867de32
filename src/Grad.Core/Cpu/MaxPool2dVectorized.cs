using System.Runtime.Intrinsics;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>
/// Float max-pooling with vectors, in one of two ways. Rows of eight outputs or more
/// (<see cref="PoolPlane"/>): eight neighbouring outputs of a row at a time. The plane is
/// first copied into a scratch padded with −∞ and split by column into <c>StrideW</c> phases
/// (phase q holds padded columns q, q + s, q + 2s, …): for every window tap, the cells that
/// eight neighbouring outputs read are then contiguous, so each tap is one vector load and
/// compare, with no branch on the data. Smaller planes (<see cref="PoolPlanes"/>): eight planes
/// at a time, interleaved cell by cell into a scratch, so each window tap of one output cell is
/// one vector across the eight planes. Same winners as the scalar kernel: first maximum in
/// row-major order, a NaN beats any number, padding never wins.
/// </summary>
internal static class MaxPool2dVectorized
{
    private static readonly int Lanes = Vector256<float>.Count;

    public static bool Supported => Vector256.IsHardwareAccelerated;

    /// <summary>Whether a row of <paramref name="outputWidth"/> outputs fills at least one vector.</summary>
    public static bool FillsRows(int outputWidth) => outputWidth >= Lanes;

    /// <summary>How many planes <see cref="PoolPlanes"/> takes at once.</summary>
    public static int PlanesPerGroup => Lanes;

    /// <summary>Floats of scratch one plane needs.</summary>
    public static int ScratchLength(int h, int w, Pool2dGeometry g) =>
        (h + 2 * g.PadH) * g.StrideW * PhaseLength(w, g);

    private static int PhaseLength(int w, Pool2dGeometry g) => (w + 2 * g.PadW + g.StrideW - 1) / g.StrideW;

    public static unsafe void PoolPlane(float* input, int h, int w, Pool2dGeometry g,
        float* output, int* winners, int oh, int ow, float* scratch)
    {
        int phaseLength = PhaseLength(w, g);
        SplitPhases(input, h, w, g, phaseLength, scratch);
        var laneColumn = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * g.StrideW;
        var negativeInfinity = Vector256.Create(float.NegativeInfinity);
        for (int r = 0; r < oh; r++)
        {
            var (firstRow, endRow) = g.WindowRows(r, h);
            // The last chunk overlaps the one before when the row is not a multiple of the lanes.
            for (int chunk = 0; chunk < ow; chunk += Lanes)
            {
                int c0 = Math.Min(chunk, ow - Lanes);
                var column = laneColumn + Vector256.Create(c0 * g.StrideW - g.PadW);
                var max = negativeInfinity;
                // Until a cell beats −∞, the winner is the window's first real cell.
                var best = Vector256.Max(column, Vector256<int>.Zero) + Vector256.Create(firstRow * w);
                for (int y = firstRow; y < endRow; y++)
                {
                    int paddedRow = y + g.PadH;
                    for (int j = 0; j < g.KernelW; j++)
                    {
                        var v = Vector256.Load(scratch + (paddedRow * g.StrideW + j % g.StrideW) * phaseLength + c0 + j / g.StrideW);
                        // Strictly greater keeps the first maximum; a NaN wins unless one already has.
                        var wins = Vector256.GreaterThan(v, max)
                                   | (~Vector256.Equals(v, v) & Vector256.Equals(max, max));
                        max = Vector256.ConditionalSelect(wins, v, max);
                        best = Vector256.ConditionalSelect(wins.AsInt32(), column + Vector256.Create(y * w + j), best);
                    }
                }
                max.Store(output + r * ow + c0);
                best.Store(winners + r * ow + c0);
            }
        }
    }

    /// <summary>
    /// Pools <paramref name="planes"/> (at most eight) consecutive planes at once. The scratch
    /// holds cell (y, x) of plane k at ((y·w + x)·8 + k). Only real cells are visited, as in the
    /// scalar kernel, so the scratch needs no padding.
    /// </summary>
    public static unsafe void PoolPlanes(float* input, int planes, int h, int w, Pool2dGeometry g,
        float* output, int* winners, int oh, int ow, float* scratch)
    {
        int inPlane = h * w, outPlane = oh * ow;
        for (int k = 0; k < planes; k++)
        {
            for (int cell = 0; cell < inPlane; cell++) scratch[cell * Lanes + k] = input[k * inPlane + cell];
        }
        float* values = stackalloc float[Lanes];
        int* indices = stackalloc int[Lanes];
        for (int r = 0, o = 0; r < oh; r++)
        {
            var (firstRow, endRow) = g.WindowRows(r, h);
            for (int c = 0; c < ow; c++, o++)
            {
                var (firstColumn, endColumn) = g.WindowColumns(c, w);
                var max = Vector256.Create(float.NegativeInfinity);
                // Until a cell beats −∞, the winner is the window's first real cell.
                var best = Vector256.Create(firstRow * w + firstColumn);
                for (int y = firstRow; y < endRow; y++)
                {
                    for (int x = firstColumn; x < endColumn; x++)
                    {
                        int cell = y * w + x;
                        var v = Vector256.Load(scratch + cell * Lanes);
                        var wins = Vector256.GreaterThan(v, max)
                                   | (~Vector256.Equals(v, v) & Vector256.Equals(max, max));
                        max = Vector256.ConditionalSelect(wins, v, max);
                        best = Vector256.ConditionalSelect(wins.AsInt32(), Vector256.Create(cell), best);
                    }
                }
                max.Store(values);
                best.Store(indices);
                for (int k = 0; k < planes; k++)
                {
                    output[k * outPlane + o] = values[k];
                    winners[k * outPlane + o] = indices[k];
                }
            }
        }
    }

    /// <summary>Scratch row (padded row y, phase q) holds padded columns q, q + s, … of row y; padding is −∞.</summary>
    private static unsafe void SplitPhases(float* input, int h, int w, Pool2dGeometry g, int phaseLength, float* scratch)
    {
        int s = g.StrideW;
        new Span<float>(scratch, ScratchLength(h, w, g)).Fill(float.NegativeInfinity);
        for (int y = 0; y < h; y++)
        {
            float* row = input + y * w;
            for (int q = 0; q < s; q++)
            {
                float* phase = scratch + ((y + g.PadH) * s + q) * phaseLength;
                // Padded column m·s + q is input column m·s + q − PadW.
                for (int m = 0, x = q - g.PadW; m < phaseLength; m++, x += s)
                {
                    if ((uint)x < (uint)w) phase[m] = row[x];
                }
            }
        }
    }
}
