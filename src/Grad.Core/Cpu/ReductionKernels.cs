using System.Numerics;
using System.Numerics.Tensors;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>
/// Reductions of a contiguous tensor viewed as (outer, reduced, inner): the reduced axis is
/// summed or maxed away. A reduction over a trailing axis (inner = 1) is one SIMD reduction per
/// row; over a leading axis it accumulates whole rows with SIMD adds.
/// </summary>
internal static class ReductionKernels
{
    public static void Reduce<T>(ReduceOp op, ReadOnlySpan<T> x, int outer, int reduced, int inner, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool max = op == ReduceOp.Max;
        if (reduced == 0)
        {
            y.Fill(op == ReduceOp.Mean ? T.NaN : T.Zero);
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * reduced * inner, reduced * inner);
            if (inner == 1)
            {
                y[o] = max ? TensorPrimitives.Max(block) : TensorPrimitives.Sum(block);
                continue;
            }
            var row = y.Slice(o * inner, inner);
            block[..inner].CopyTo(row);
            for (int j = 1; j < reduced; j++)
            {
                var next = block.Slice(j * inner, inner);
                if (max) TensorPrimitives.Max(row, next, row);
                else TensorPrimitives.Add(row, next, row);
            }
        }
        if (op == ReduceOp.Mean) TensorPrimitives.Multiply(y, T.One / T.CreateChecked(reduced), y);
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
