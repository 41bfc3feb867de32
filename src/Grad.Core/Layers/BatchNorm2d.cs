namespace Grad.Layers;

/// <summary>Batch normalisation over (N, C, H, W): statistics per channel over the batch and
/// both spatial axes; parameters and statistics have shape (C,), as in PyTorch.</summary>
/// <remarks>
/// Written for a lean backward: γ/√(v + ε) is one per-channel scale, so the tape keeps only the
/// centred input, and per-channel values are spread over x's shape with ExpandReduced, which
/// lets the generator prove the full-size gradients need no summing and fuse them.
/// </remarks>
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
        var xc = x - ExpandReduced(mu, x.Shape, [0, 2, 3], false);
        var v = Track(RunningVar, Mean(xc * xc, [0, 2, 3]), Momentum, x.Shape[0] * x.Shape[2] * x.Shape[3]);
        var scale = Gamma / Sqrt(v + Eps);
        return xc * ExpandReduced(scale, x.Shape, [0, 2, 3], false) + ExpandReduced(Beta, x.Shape, [0, 2, 3], false);
    }

    public static BatchNorm2d Create(int channels, DType dtype = DType.Float32) =>
        new(Tensor.Ones([channels], dtype), Tensor.Zeros([channels], dtype),
            Tensor.Zeros([channels], dtype), Tensor.Ones([channels], dtype));
}
