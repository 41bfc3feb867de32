using Grad.Fusion;

namespace Grad;

/// <summary>A tracked statistic's new value in one pass (see <see cref="Ops.UpdateTracked"/>):
/// keep·state + take·batch, with keep = 1 − momentum and take = momentum times the unbiasing
/// factor, both computed once in double.</summary>
[Elementwise("state * keep + batch * take", Inputs = ["state", "batch"], Scalars = ["keep", "take"])]
internal sealed partial class TrackedUpdate : ElementwiseKernel;
