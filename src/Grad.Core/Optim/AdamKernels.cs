using System.Runtime.Intrinsics;
using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// Adam's update as three fused element-wise passes (first moment, second moment, parameter),
/// each writing one output with no temporaries, on every backend. The L2 term is folded into
/// the gradient inside the moment kernels (g + wd·p), so the decayed gradient is never stored.
/// </summary>
internal static class AdamKernels
{
    /// <summary>m' = β1·m + (1 − β1)·(g + wd·p). Inputs m, g, p; scalars β1, 1 − β1, wd.</summary>
    public sealed class FirstMoment : ElementwiseKernel
    {
        public static readonly FirstMoment Instance = new();
        public override string Name => "Adam.FirstMoment";
        public override int InputCount => 3;
        public override int ScalarCount => 3;
        public override string OpenCLExpression => "(s0 * x0 + s1 * (x1 + s2 * x2))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T beta = row.Scalar(0), rest = row.Scalar(1), wd = row.Scalar(2);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vbeta = Vector256.Create(beta), vrest = Vector256.Create(rest), vwd = Vector256.Create(wd);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                    row.Store(i, vbeta * row.Load(0, i) + vrest * (row.Load(1, i) + vwd * row.Load(2, i)));
            }
            for (; i < row.Length; i++)
                row.Output[i] = beta * row.At(0, i) + rest * (row.At(1, i) + wd * row.At(2, i));
        }
    }

    /// <summary>v' = β2·v + (1 − β2)·(g + wd·p)². Inputs v, g, p; scalars β2, 1 − β2, wd.</summary>
    public sealed class SecondMoment : ElementwiseKernel
    {
        public static readonly SecondMoment Instance = new();
        public override string Name => "Adam.SecondMoment";
        public override int InputCount => 3;
        public override int ScalarCount => 3;
        public override string OpenCLExpression => "(s0 * x0 + s1 * (x1 + s2 * x2) * (x1 + s2 * x2))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T beta = row.Scalar(0), rest = row.Scalar(1), wd = row.Scalar(2);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vbeta = Vector256.Create(beta), vrest = Vector256.Create(rest), vwd = Vector256.Create(wd);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var g = row.Load(1, i) + vwd * row.Load(2, i);
                    row.Store(i, vbeta * row.Load(0, i) + vrest * g * g);
                }
            }
            for (; i < row.Length; i++)
            {
                var g = row.At(1, i) + wd * row.At(2, i);
                row.Output[i] = beta * row.At(0, i) + rest * g * g;
            }
        }
    }

    /// <summary>
    /// p' = p − a·m / (√v / b + ε), with a = lr / (1 − β1ᵗ) and b = √(1 − β2ᵗ): the bias
    /// corrections applied to the step size and the denominator (as PyTorch does) rather than
    /// to the moments, which saves two divisions per element. Inputs p, m, v; scalars a, b, ε.
    /// </summary>
    public sealed class Update : ElementwiseKernel
    {
        public static readonly Update Instance = new();
        public override string Name => "Adam.Update";
        public override int InputCount => 3;
        public override int ScalarCount => 3;
        public override string OpenCLExpression => "(x0 - s0 * x1 / (sqrt(x2) / s1 + s2))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T stepSize = row.Scalar(0), correction = row.Scalar(1), eps = row.Scalar(2);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> va = Vector256.Create(stepSize), vb = Vector256.Create(correction), veps = Vector256.Create(eps);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                    row.Store(i, row.Load(0, i) - va * row.Load(1, i) / (Vector256.Sqrt(row.Load(2, i)) / vb + veps));
            }
            for (; i < row.Length; i++)
                row.Output[i] = row.At(0, i) - stepSize * row.At(1, i) / (T.Sqrt(row.At(2, i)) / correction + eps);
        }
    }
}
