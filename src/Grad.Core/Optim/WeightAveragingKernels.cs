using System.Runtime.Intrinsics;
using Grad.Fusion;

namespace Grad.Optim;

/// <summary>The moving average's update as one fused element-wise pass.</summary>
internal static class WeightAveragingKernels
{
    /// <summary>a' = a + w·(p − a), i.e. (1 − w)·a + w·p with one multiplication. Inputs a, p; scalar w.</summary>
    public sealed class Blend : ElementwiseKernel
    {
        public static readonly Blend Instance = new();
        public override string Name => "WeightAveraging.Blend";
        public override int InputCount => 2;
        public override int ScalarCount => 1;
        public override string OpenCLExpression => "(x0 + s0 * (x1 - x0))";

        public override void Row<T>(in ElementwiseRow<T> row)
        {
            T w = row.Scalar(0);
            int i = 0;
            if (row.IsVectorizable)
            {
                var vw = Vector256.Create(w);
                for (; i <= row.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var a = row.Load(0, i);
                    row.Store(i, a + vw * (row.Load(1, i) - a));
                }
            }
            for (; i < row.Length; i++)
            {
                var a = row.At(0, i);
                row.Output[i] = a + w * (row.At(1, i) - a);
            }
        }
    }
}
