using System.ComponentModel;

namespace Grad;

public static partial class Ops
{
    /// <summary>
    /// Declares that <paramref name="batchValue"/> is a batch statistic tracked by the [State]
    /// tensor <paramref name="state"/> (batch-norm running statistics). In a training forward it
    /// is the batch value, and the layer's new state is
    /// <c>(1 − momentum)·state + momentum·batchValue·n/(n − 1)</c>, where n is
    /// <paramref name="sampleCount"/> (0 leaves the value unscaled; pass the number of samples
    /// per statistic to store the unbiased variance, as PyTorch does). In an eval forward it is
    /// <paramref name="state"/>. Called directly, it returns the batch value.
    /// </summary>
    [Primitive(Kind = PrimitiveKind.StateUpdate, Update = nameof(UpdateTracked), Shape = "batchValue")]
    [Derivative("batchValue", "g")]
    public static Tensor Track([NonDifferentiable] Tensor state, Tensor batchValue, double momentum, int sampleCount = 0)
    {
        if (state.Shape != batchValue.Shape)
            throw new ArgumentException($"Track: the state has shape {state.Shape} but the batch statistic has shape {batchValue.Shape}.");
        return batchValue.Alias();
    }

    /// <summary>The new value of a tracked [State] tensor after one training batch (see <see cref="Track"/>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Tensor UpdateTracked(Tensor state, Tensor batchValue, double momentum, int sampleCount = 0)
    {
        double scale = sampleCount > 1 ? (double)sampleCount / (sampleCount - 1) : 1.0;
        return Fused(TrackedUpdate.Instance, [state, batchValue], [1 - momentum, momentum * scale]);
    }
}
