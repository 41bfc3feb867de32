using System.Numerics;
using System.Numerics.Tensors;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>
/// Reductions of a contiguous tensor viewed as (outer, reduced, inner): the reduced axis is
/// summed or maxed away. A reduction over a trailing axis (inner = 1) is one SIMD reduction per
/// row; over a leading axis it accumulates whole rows with SIMD adds. Large reductions are split
/// across the threads by output: rows of the result, or column ranges of its single row.
/// </summary>
internal static class ReductionKernels
{
    /// <summary>Fewer input elements than this per thread are not worth the hand-off.</summary>
    private const int ParallelGrain = 1 << 15;

    public static void Reduce<T>(ReduceOp op, ReadOnlyMemory<T> x, int outer, int reduced, int inner, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reduced == 0)
        {
            y.Span.Fill(op == ReduceOp.Mean ? T.NaN : T.Zero);
            return;
        }
        T scale = op == ReduceOp.Mean ? T.One / T.CreateChecked(reduced) : T.One;
        bool max = op == ReduceOp.Max;
        if (inner == 1 || outer >= CpuBackend.Threads)
        {
            int rowsPerRange = Math.Max(1, ParallelGrain / (reduced * inner));
            ParallelRanges.For(outer, rowsPerRange, (_, start, end) =>
            {
                for (int o = start; o < end; o++)
                    ReduceColumns(max, x.Span.Slice(o * reduced * inner, reduced * inner), reduced, 0, inner, y.Span.Slice(o * inner, inner), scale);
            });
            return;
        }
        // Few rows of many columns (a bias gradient: outer = 1): split the columns.
        int columnsPerRange = Math.Max(Vector<T>.Count, ParallelGrain / reduced);
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * reduced * inner, reduced * inner);
            var row = y.Slice(o * inner, inner);
            ParallelRanges.For(inner, columnsPerRange, (_, start, end) =>
                ReduceColumns(max, block.Span, reduced, start, end - start, row.Span.Slice(start, end - start), scale));
        }
    }

    /// <summary>Reduces columns [first, first + count) of a (reduced, inner) block into <paramref name="y"/>.</summary>
    private static void ReduceColumns<T>(bool max, ReadOnlySpan<T> block, int reduced, int first, int count, Span<T> y, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inner = block.Length / reduced;
        if (inner == 1)
        {
            y[0] = (max ? TensorPrimitives.Max(block) : TensorPrimitives.Sum(block)) * scale;
            return;
        }
        block.Slice(first, count).CopyTo(y);
        for (int j = 1; j < reduced; j++)
        {
            var next = block.Slice(j * inner + first, count);
            if (max) TensorPrimitives.Max(y, next, y);
            else TensorPrimitives.Add(y, next, y);
        }
        if (scale != T.One) TensorPrimitives.Multiply(y, scale, y);
    }

    /// <summary>Index of the first maximum along the reduced axis; NaN counts as the maximum.</summary>
    public static void ArgMax<T>(ReadOnlySpan<T> x, int outer, int reduced, int inner, Span<int> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * reduced * inner, reduced * inner);
            if (inner == 1)
            {
                y[o] = TensorPrimitives.IndexOfMax(block);
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                T bestValue = block[i];
                for (int j = 1; j < reduced && !T.IsNaN(bestValue); j++)
                {
                    T v = block[j * inner + i];
                    if (v > bestValue || T.IsNaN(v)) { best = j; bestValue = v; }
                }
                y[o * inner + i] = best;
            }
        }
    }
}
