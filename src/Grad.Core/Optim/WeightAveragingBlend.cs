using Grad.Fusion;

namespace Grad.Optim;

/// <summary>The moving average's update in one pass: a' = a + w·(p − a), i.e. (1 − w)·a + w·p
/// with one multiplication. Inputs a, p; scalar w.</summary>
[Elementwise("a + w * (p - a)", Inputs = ["a", "p"], Scalars = ["w"])]
internal sealed partial class WeightAveragingBlend : ElementwiseKernel;
