namespace Grad.Layers;

/// <summary>
/// Batch normalisation with the practical's hand-derived backward (its "manual function"):
/// the same forward as <see cref="BatchNorm"/>, but training uses the compact formula below
/// instead of the generated derivation, which stays available as <c>DerivedBackward</c> so the
/// two can be compared.
/// </summary>
[Layer]
public sealed partial record BatchNormManual(
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

    /// <summary>dγ = Σ g·x̂, dβ = Σ g, dx = (m·dx̂ − Σ dx̂ − x̂·Σ(dx̂·x̂)) / (m·σ) with dx̂ = g·γ.</summary>
    [Backward]
    public (Tensor dx, BatchNormManual Gradient) Backward(Tape tape, Tensor g)
    {
        int m = tape.x.Shape[0];
        using var sigma = Sqrt(tape.v + Eps);
        using var dxhat = g * Gamma;
        using var sumDxhat = Sum(dxhat, axis: 0);
        using var dxhatXhat = dxhat * tape.xhat;
        using var sumDxhatXhat = Sum(dxhatXhat, axis: 0);
        using var gXhat = g * tape.xhat;
        var dx = (m * dxhat - sumDxhat - tape.xhat * sumDxhatXhat) / (m * sigma);
        return (dx, this with { Gamma = Sum(gXhat, axis: 0), Beta = Sum(g, axis: 0) });
    }

    public static BatchNormManual Create(int features, DType dtype = DType.Float32) =>
        new(Tensor.Ones([features], dtype), Tensor.Zeros([features], dtype),
            Tensor.Zeros([features], dtype), Tensor.Ones([features], dtype));
}
