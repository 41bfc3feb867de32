using System.Numerics;
using System.Numerics.Tensors;

namespace Grad.Cpu;

/// <summary>Softmax and log-softmax of a contiguous tensor viewed as (outer, axis, inner). The
/// maximum is subtracted first, so exp never overflows; log-softmax never takes log of a rounded 0.</summary>
internal static class SoftmaxKernels
{
    public static void Softmax<T>(ReadOnlySpan<T> x, int outer, int axis, int inner, bool log, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) Row(x.Slice(o * axis, axis), log, y.Slice(o * axis, axis));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var xs = x.Slice(o * axis * inner, axis * inner);
            var ys = y.Slice(o * axis * inner, axis * inner);
            for (int i = 0; i < inner; i++) Strided(xs[i..], inner, axis, log, ys[i..]);
        }
    }

    private static void Row<T>(ReadOnlySpan<T> x, bool log, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        T sum = TensorPrimitives.Sum<T>(y);
        if (log)
        {
            // (x − max) − log Σ: shifting first keeps float32 exact near large logits.
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else TensorPrimitives.Divide(y, sum, y);
    }

    private static void Strided<T>(ReadOnlySpan<T> x, int stride, int n, bool log, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = x[0];
        for (int j = 1; j < n; j++) max = T.Max(max, x[j * stride]);
        T sum = T.Zero;
        for (int j = 0; j < n; j++) sum += T.Exp(x[j * stride] - max);
        T logSum = T.Log(sum);
        for (int j = 0; j < n; j++)
        {
            T shifted = x[j * stride] - max;
            y[j * stride] = log ? shifted - logSum : T.Exp(shifted) / sum;
        }
    }
}
