using Grad.Fusion;

namespace Grad.Optim;

/// <summary>Plain SGD in one pass: p − lr·(g + wd·p), weight decay folded into the gradient
/// instead of materialised. Inputs p, g; scalars lr, wd.</summary>
[Elementwise("p - lr * (g + wd * p)", Inputs = ["p", "g"], Scalars = ["lr", "wd"])]
internal sealed partial class SgdStep : ElementwiseKernel;

/// <summary>SGD with momentum in one pass with two outputs: v' = μ·v + (g + wd·p), then
/// p' = p − lr·v'. Inputs p, g, v; scalars lr, μ, wd; outputs p', v'.</summary>
[Elementwise("""
    var velocity = mu * v + (g + wd * p);
    return (p - lr * velocity, velocity);
    """, Inputs = ["p", "g", "v"], Scalars = ["lr", "mu", "wd"])]
internal sealed partial class SgdMomentumStep : ElementwiseKernel;
