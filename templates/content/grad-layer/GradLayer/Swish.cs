using Grad;
using static Grad.Ops;

namespace GradLayer;

/// <summary>
/// Swish with a learned slope per feature: y = x · σ(β · x). Only the forward is written here;
/// Grad's source generator adds <c>Train</c>, <c>Backward</c>, <c>Eval</c> and the parameter
/// members (<c>Parameters()</c>, used by optimisers and checkpoints) to this partial record.
/// </summary>
/// <param name="Beta">The slope β, one per feature: shape (features,).</param>
[Layer]
public sealed partial record Swish([Param] Tensor Beta)
{
    /// <summary>x: (batch, features).</summary>
    [Forward]
    public Tensor Forward(Tensor x) => x * Sigmoid(Beta * x);

    /// <summary>β = 1 for every feature: the SiLU that Swish starts as.</summary>
    public static Swish Create(int features, DType dtype = DType.Float32) => new(Tensor.Ones([features], dtype));
}
