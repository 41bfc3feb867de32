using System.Runtime.Intrinsics;
using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// SGD's updates as fused element-wise kernels: each reads the parameter, gradient and velocity
/// once and writes its results in the same pass, with no temporary per operator, on every backend. Weight decay
/// is folded into the gradient inside the kernel (g + wd·p) instead of being materialised.
/// </summary>
internal static class SgdKernels
{
    /// <summary>Plain SGD: p − lr·(g + wd·p). Inputs p, g; scalars lr, wd.</summary>
    public sealed class Step : ElementwiseKernel
    {
        public static readonly Step Instance = new();
        public override string Name => "Sgd.Step";
        public override int InputCount => 2;
        public override int ScalarCount => 2;
        public override string OpenCLExpression => "(x0 - s0 * (x1 + s1 * x0))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T lr = row.Scalar(0), wd = row.Scalar(1);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vlr = Vector256.Create(lr), vwd = Vector256.Create(wd);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var p = row.Load(0, i);
                    row.Store(i, p - vlr * (row.Load(1, i) + vwd * p));
                }
            }
            for (; i < row.Length; i++)
            {
                var p = row.At(0, i);
                row.Output[i] = p - lr * (row.At(1, i) + wd * p);
            }
        }
    }

    /// <summary>SGD with momentum in one pass with two outputs: v' = μ·v + (g + wd·p), then
    /// p' = p − lr·v'. Inputs p, g, v; scalars lr, μ, wd; outputs p', v'.</summary>
    public sealed class MomentumStep : ElementwiseKernel
    {
        public static readonly MomentumStep Instance = new();
        public override string Name => "Sgd.MomentumStep";
        public override int InputCount => 3;
        public override int ScalarCount => 3;
        public override int OutputCount => 2;

        private const string Velocity = "(s1 * x2 + (x1 + s2 * x0))";
        public override string OpenCLExpression => "(x0 - s0 * " + Velocity + ")";
        public override IReadOnlyList<string> OpenCLOutputs => [OpenCLExpression, Velocity];

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T lr = row.Scalar(0), mu = row.Scalar(1), wd = row.Scalar(2);
            Span<T> parameter = row.OutputAt(0), velocity = row.OutputAt(1);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vlr = Vector256.Create(lr), vmu = Vector256.Create(mu), vwd = Vector256.Create(wd);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var p = row.Load(0, i);
                    var v = vmu * row.Load(2, i) + (row.Load(1, i) + vwd * p);
                    row.Store(0, i, p - vlr * v);
                    row.Store(1, i, v);
                }
            }
            for (; i < row.Length; i++)
            {
                var p = row.At(0, i);
                var v = mu * row.At(2, i) + (row.At(1, i) + wd * p);
                parameter[i] = p - lr * v;
                velocity[i] = v;
            }
        }
    }
}
