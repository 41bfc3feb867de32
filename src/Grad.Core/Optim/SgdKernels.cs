using System.Runtime.Intrinsics;
using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// SGD's updates as fused element-wise kernels: each reads the parameter, gradient and velocity
/// once and writes one result, with no temporary per operator, on every backend. Weight decay
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

    /// <summary>The new velocity: μ·v + (g + wd·p). Inputs v, g, p; scalars μ, wd.</summary>
    public sealed class Velocity : ElementwiseKernel
    {
        public static readonly Velocity Instance = new();
        public override string Name => "Sgd.Velocity";
        public override int InputCount => 3;
        public override int ScalarCount => 2;
        public override string OpenCLExpression => "(s0 * x0 + (x1 + s1 * x2))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T mu = row.Scalar(0), wd = row.Scalar(1);
            int i = 0;
            if (row.IsVectorizable)
            {
                Vector256<T> vmu = Vector256.Create(mu), vwd = Vector256.Create(wd);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                    row.Store(i, vmu * row.Load(0, i) + (row.Load(1, i) + vwd * row.Load(2, i)));
            }
            for (; i < row.Length; i++)
                row.Output[i] = mu * row.At(0, i) + (row.At(1, i) + wd * row.At(2, i));
        }
    }

    /// <summary>The parameter moved along the velocity: p − lr·v. Inputs p, v; scalar lr.</summary>
    public sealed class Apply : ElementwiseKernel
    {
        public static readonly Apply Instance = new();
        public override string Name => "Sgd.Apply";
        public override int InputCount => 2;
        public override int ScalarCount => 1;
        public override string OpenCLExpression => "(x0 - s0 * x1)";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T lr = row.Scalar(0);
            int i = 0;
            if (row.IsVectorizable)
            {
                var vlr = Vector256.Create(lr);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                    row.Store(i, row.Load(0, i) - vlr * row.Load(1, i));
            }
            for (; i < row.Length; i++)
                row.Output[i] = row.At(0, i) - lr * row.At(1, i);
        }
    }
}
