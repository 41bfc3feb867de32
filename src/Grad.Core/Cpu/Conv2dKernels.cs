using System.Numerics;

namespace Grad.Cpu;

/// <summary>
/// 2-D convolution as GEMMs over the column matrix of <see cref="Im2Col"/>. With X the
/// (C·KH·KW) × (OH·OW) columns of one image, W the weights as (O, C·KH·KW) and Y an image's
/// output as (O, OH·OW): forward Y = W·X, input gradient dX = Wᵀ·dY (then col2im), weight
/// gradient dW = Σ dY·Xᵀ over the batch. Two ways to run them, chosen by the plane size:
/// <see cref="Conv2dPerImage"/> when an image has many output cells (a GEMM per image writes
/// NCHW directly and its columns stay in cache), <see cref="Conv2dBatched"/> when it has few
/// (the CNN's 8×8 to 2×2 layers, where a per-image GEMM would have 64 to 4 columns).
/// 3×3 layers with stride 1 and padding 1 on planes up to 32×32 run all three passes through
/// <see cref="Conv2dWinograd"/> instead, which needs 2.25 to 4 times fewer multiplications.
/// Every tensor passed in is contiguous; outputs are written whole.
/// </summary>
internal static class Conv2dKernels
{
    /// <summary>Measured on the CNN's layers (docs/convolution.md): per-image GEMMs win from
    /// 16×16 outputs up, the batched GEMM from 8×8 down.</summary>
    private const int PerImagePositions = 256;

    public static void Forward<T>(CpuBackend backend, Tensor x, Tensor w, ConvLayout s, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Conv2dWinograd.Applies(s)) Conv2dWinograd.Forward<T>(backend, x, w, s, y);
        else if (s.Positions >= PerImagePositions) Conv2dPerImage.Forward<T>(backend, x, w, s, y);
        else Conv2dBatched.Forward<T>(backend, x, w, s, y);
    }

    public static void BackwardInput<T>(CpuBackend backend, Tensor outputGradient, Tensor w, ConvLayout s, Tensor inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Conv2dWinograd.Applies(s)) Conv2dWinograd.BackwardInput<T>(backend, outputGradient, w, s, inputGradient);
        else if (s.Positions >= PerImagePositions) Conv2dPerImage.BackwardInput<T>(backend, outputGradient, w, s, inputGradient);
        else Conv2dBatched.BackwardInput<T>(backend, outputGradient, w, s, inputGradient);
    }

    public static void BackwardWeight<T>(CpuBackend backend, Tensor outputGradient, Tensor x, ConvLayout s, Tensor weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Conv2dWinograd.Applies(s)) Conv2dWinograd.BackwardWeight<T>(backend, outputGradient, x, s, weightGradient);
        else if (s.Positions >= PerImagePositions) Conv2dPerImage.BackwardWeight<T>(backend, outputGradient, x, s, weightGradient);
        else Conv2dBatched.BackwardWeight<T>(backend, outputGradient, x, s, weightGradient);
    }
}
