using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// Adam's update as one pass with three outputs: each element of the parameter, gradient and
/// both moments is read once, and the new parameter and moments are written together. With
/// d = g + wd·p (the L2 term folded into the gradient, never stored): m' = β1·m + (1 − β1)·d,
/// v' = β2·v + (1 − β2)·d², and p' = p − a·m' / (√v' / b + ε), with a = lr / (1 − β1ᵗ) and
/// b = √(1 − β2ᵗ): the bias corrections applied to the step size and the denominator (as
/// PyTorch does) rather than to the moments, which saves two divisions per element. The
/// complements 1 − β are passed in, computed once in double, as PyTorch computes them.
/// </summary>
[Elementwise("""
    var d = g + wd * p;
    var first = beta1 * m + rest1 * d;
    var second = beta2 * v + rest2 * d * d;
    return (p - stepSize * first / (sqrt(second) / correction + eps), first, second);
    """,
    Inputs = ["p", "g", "m", "v"],
    Scalars = ["beta1", "rest1", "beta2", "rest2", "wd", "stepSize", "correction", "eps"])]
internal sealed partial class AdamStep : ElementwiseKernel;
