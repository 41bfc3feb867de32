using System.Runtime.Intrinsics;
using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// Adam's update as one fused element-wise pass with three outputs: each element of the
/// parameter, gradient and both moments is read once, and the new parameter and moments are
/// written together, on every backend. The L2 term is folded into the gradient (g + wd·p), so
/// the decayed gradient is never stored.
/// </summary>
internal static class AdamKernels
{
    /// <summary>
    /// With d = g + wd·p: m' = β1·m + (1 − β1)·d, v' = β2·v + (1 − β2)·d², and
    /// p' = p − a·m' / (√v' / b + ε), with a = lr / (1 − β1ᵗ) and b = √(1 − β2ᵗ): the bias
    /// corrections applied to the step size and the denominator (as PyTorch does) rather than
    /// to the moments, which saves two divisions per element.
    /// Inputs p, g, m, v; scalars β1, 1 − β1, β2, 1 − β2, wd, a, b, ε; outputs p', m', v'.
    /// </summary>
    public sealed class Step : ElementwiseKernel
    {
        public static readonly Step Instance = new();
        public override string Name => "Adam.Step";
        public override int InputCount => 4;
        public override int ScalarCount => 8;
        public override int OutputCount => 3;

        private const string Decayed = "(x1 + s4 * x0)";
        private const string FirstMoment = "(s0 * x2 + s1 * " + Decayed + ")";
        private const string SecondMoment = "(s2 * x3 + s3 * " + Decayed + " * " + Decayed + ")";
        public override string OpenCLExpression => "(x0 - s5 * " + FirstMoment + " / (sqrt(" + SecondMoment + ") / s6 + s7))";
        public override IReadOnlyList<string> OpenCLOutputs => [OpenCLExpression, FirstMoment, SecondMoment];

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T beta1 = row.Scalar(0), rest1 = row.Scalar(1), beta2 = row.Scalar(2), rest2 = row.Scalar(3);
            T wd = row.Scalar(4), stepSize = row.Scalar(5), correction = row.Scalar(6), eps = row.Scalar(7);
            Span<T> parameter = row.OutputAt(0), first = row.OutputAt(1), second = row.OutputAt(2);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vbeta1 = Vector256.Create(beta1), vrest1 = Vector256.Create(rest1);
                Vector256<T> vbeta2 = Vector256.Create(beta2), vrest2 = Vector256.Create(rest2), vwd = Vector256.Create(wd);
                Vector256<T> va = Vector256.Create(stepSize), vb = Vector256.Create(correction), veps = Vector256.Create(eps);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var p = row.Load(0, i);
                    var d = row.Load(1, i) + vwd * p;
                    var m = vbeta1 * row.Load(2, i) + vrest1 * d;
                    var v = vbeta2 * row.Load(3, i) + vrest2 * d * d;
                    row.Store(0, i, p - va * m / (Vector256.Sqrt(v) / vb + veps));
                    row.Store(1, i, m);
                    row.Store(2, i, v);
                }
            }
            for (; i < row.Length; i++)
            {
                var p = row.At(0, i);
                var d = row.At(1, i) + wd * p;
                var m = beta1 * row.At(2, i) + rest1 * d;
                var v = beta2 * row.At(3, i) + rest2 * d * d;
                parameter[i] = p - stepSize * m / (T.Sqrt(v) / correction + eps);
                first[i] = m;
                second[i] = v;
            }
        }
    }
}
