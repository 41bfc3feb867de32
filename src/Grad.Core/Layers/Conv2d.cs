namespace Grad.Layers;

/// <summary>2-D convolution over (N, C, H, W) with weights (O, C, K, K) and a bias (O,),
/// zero padding and a stride, as PyTorch's nn.Conv2d.</summary>
[Layer]
public sealed partial record Conv2d([Param] Tensor W, [Param] Tensor B, int Stride = 1, int Padding = 0)
{
    [Forward]
    public Tensor Forward(Tensor x) => Ops.Conv2d(x, W, Stride, Padding) + B.Reshape(-1, 1, 1);

    /// <summary>PyTorch's default initialisation: W and b uniform on ±1/√(C·K·K).</summary>
    public static Conv2d Create(int inChannels, int outChannels, int kernel, ulong seed, int stride = 1, int padding = 0, DType dtype = DType.Float32)
    {
        double bound = 1 / Math.Sqrt(inChannels * kernel * kernel);
        return new Conv2d(
            Init.Uniform([outChannels, inChannels, kernel, kernel], -bound, bound, seed, dtype),
            Init.Uniform([outChannels], -bound, bound, seed + 1, dtype),
            stride, padding);
    }
}
