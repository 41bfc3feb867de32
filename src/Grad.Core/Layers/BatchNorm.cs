namespace Grad.Layers;

/// <summary>
/// Batch normalisation over (N, C): each feature is normalised with the batch mean and biased
/// variance, then scaled by γ and shifted by β. Training tracks running statistics (the running
/// variance is stored unbiased, as in PyTorch); eval normalises with them.
/// </summary>
[Layer]
public sealed partial record BatchNorm(
    [Param] Tensor Gamma, [Param] Tensor Beta,
    [State] Tensor RunningMean, [State] Tensor RunningVar,
    double Eps = 1e-5, double Momentum = 0.1)
{
    [Forward]
    public Tensor Forward(Tensor x)
    {
        var mu = Track(RunningMean, Mean(x, axis: 0), Momentum);
        var xc = x - mu;
        var v = Track(RunningVar, Mean(xc * xc, axis: 0), Momentum, x.Shape[0]);
        var xhat = xc / Sqrt(v + Eps);
        return Gamma * xhat + Beta;
    }

    /// <summary>γ = 1, β = 0, running mean 0 and variance 1, as PyTorch initialises them.</summary>
    public static BatchNorm Create(int features, DType dtype = DType.Float32) =>
        new(Tensor.Ones([features], dtype), Tensor.Zeros([features], dtype),
            Tensor.Zeros([features], dtype), Tensor.Ones([features], dtype));
}
