using Grad.Fusion;

namespace Grad;

public static partial class Ops
{
    /// <summary>Runs a generated fused element-wise kernel over broadcast inputs.</summary>
    public static Tensor Fused(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars)
    {
        CheckFused(kernel, inputs, scalars, outputs: 1);
        return inputs[0].Backend.Elementwise(kernel, inputs, scalars);
    }

    /// <summary>Runs a fused kernel with several outputs, all written in one pass.</summary>
    public static Tensor[] FusedOutputs(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars)
    {
        CheckFused(kernel, inputs, scalars, kernel.OutputCount);
        return inputs[0].Backend.ElementwiseOutputs(kernel, inputs, scalars);
    }

    private static void CheckFused(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, int outputs)
    {
        if (inputs.Length != kernel.InputCount || scalars.Length != kernel.ScalarCount)
            throw new ArgumentException($"Fused {kernel.Name}: expects {kernel.InputCount} tensors and {kernel.ScalarCount} scalars, got {inputs.Length} and {scalars.Length}.");
        if (outputs != kernel.OutputCount || outputs is < 1 or > ElementwiseKernel.MaxOutputs)
            throw new ArgumentException($"Fused {kernel.Name}: writes {kernel.OutputCount} outputs; call {(kernel.OutputCount == 1 ? "Fused" : "FusedOutputs")} (at most {ElementwiseKernel.MaxOutputs}).");
        if (inputs.Length == 0) throw new ArgumentException($"Fused {kernel.Name}: needs at least one tensor input.");
        for (int k = 1; k < inputs.Length; k++) OpChecks.Compatible(kernel.Name, inputs[0], inputs[k]);
        OpChecks.FloatingPoint(kernel.Name, inputs[0]);
        var shapes = new Shape[inputs.Length];
        for (int k = 0; k < inputs.Length; k++) shapes[k] = inputs[k].Shape;
        Broadcasting.Shape(kernel.Name, shapes);
    }
}
