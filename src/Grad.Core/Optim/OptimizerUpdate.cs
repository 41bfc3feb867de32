using Grad.Fusion;

namespace Grad.Optim;

/// <summary>
/// Runs an optimiser's fused update kernel: into new tensors, or, when the caller donates the
/// tensors the step replaces, over them in place (returning new references to the same memory,
/// so that the caller's disposal of the old ones frees nothing).
/// </summary>
internal static class OptimizerUpdate
{
    /// <summary><c>replaced</c> holds the tensors the kernel's outputs replace, in output order (the
    /// parameter, then its state slots); with <c>donate</c> they are written over.</summary>
    public static Tensor[] Run(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars,
        ReadOnlySpan<Tensor> replaced, bool donate)
    {
        if (!donate) return FusedOutputs(kernel, inputs, scalars);
        FusedInto(kernel, inputs, scalars, replaced);
        var updated = new Tensor[replaced.Length];
        for (int k = 0; k < replaced.Length; k++) updated[k] = replaced[k].Alias();
        return updated;
    }
}
