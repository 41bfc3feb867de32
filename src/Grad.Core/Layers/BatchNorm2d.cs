namespace Grad.Layers;

/// <summary>Batch normalisation over (N, C, H, W): statistics per channel over the batch and
/// both spatial axes; parameters and statistics have shape (C,), as in PyTorch.</summary>
[Layer]
public sealed partial record BatchNorm2d(
    [Param] Tensor Gamma, [Param] Tensor Beta,
    [State] Tensor RunningMean, [State] Tensor RunningVar,
    double Eps = 1e-5, double Momentum = 0.1)
{
    [Forward]
    public Tensor Forward(Tensor x)
    {
        var mu = Track(RunningMean, Mean(x, [0, 2, 3]), Momentum);
        var xc = x - mu.Reshape(-1, 1, 1);
        var v = Track(RunningVar, Mean(xc * xc, [0, 2, 3]), Momentum, x.Shape[0] * x.Shape[2] * x.Shape[3]);
        var xhat = xc / Sqrt(v.Reshape(-1, 1, 1) + Eps);
        return Gamma.Reshape(-1, 1, 1) * xhat + Beta.Reshape(-1, 1, 1);
    }

    public static BatchNorm2d Create(int channels, DType dtype = DType.Float32) =>
        new(Tensor.Ones([channels], dtype), Tensor.Zeros([channels], dtype),
            Tensor.Zeros([channels], dtype), Tensor.Ones([channels], dtype));
}
