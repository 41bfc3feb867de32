using System.Numerics;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB) =>
        a.DType == DType.Float32 ? MatMul<float>(a, b, transposeA, transposeB) : MatMul<double>(a, b, transposeA, transposeB);

    private Tensor MatMul<T>(Tensor a, Tensor b, bool transposeA, bool transposeB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batchA = a.Shape[0], batchB = b.Shape[0], batch = Math.Max(batchA, batchB);
        int m = transposeA ? a.Shape[2] : a.Shape[1];
        int k = transposeA ? a.Shape[1] : a.Shape[2];
        int n = transposeB ? b.Shape[1] : b.Shape[2];
        var c = Allocate(new Shape(batch, m, n), a.DType);
        PassCounter.Record("MatMul", Math.Max(c.ElementCount, Math.Max(a.ElementCount, b.ElementCount)));
        var aData = Span<T>(a);
        var bData = Span<T>(b);
        var cData = Span<T>(c);
        int aStride = batchA == 1 ? 0 : m * k, bStride = batchB == 1 ? 0 : k * n;
        for (int i = 0; i < batch; i++)
        {
            Gemm.Multiply<T>(m, n, k,
                aData.Slice(i * aStride, m * k), a.Shape[2], transposeA,
                bData.Slice(i * bStride, k * n), b.Shape[2], transposeB,
                cData.Slice(i * m * n, m * n), n, accumulate: false);
        }
        return c;
    }
}
