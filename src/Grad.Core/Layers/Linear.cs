namespace Grad.Layers;

/// <summary>A fully connected layer: y = x·Wᵀ + b, with W of shape (out, in) and b of shape (out,).</summary>
[Layer]
public sealed partial record Linear([Param] Tensor W, [Param] Tensor B)
{
    [Forward]
    public Tensor Forward(Tensor x) => MatMul(x, W.T) + B;

    /// <summary>PyTorch's default initialisation: W and b uniform on ±1/√in.</summary>
    public static Linear Create(int inFeatures, int outFeatures, ulong seed, DType dtype = DType.Float32)
    {
        double bound = 1 / Math.Sqrt(inFeatures);
        return new Linear(
            Init.Uniform([outFeatures, inFeatures], -bound, bound, seed, dtype),
            Init.Uniform([outFeatures], -bound, bound, seed + 1, dtype));
    }
}
