using System.ComponentModel;
using Grad.Fusion;

namespace Grad;

public static partial class Ops
{
    /// <summary>Runs a generated fused element-wise kernel over broadcast inputs.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Tensor Fused(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars)
    {
        var shape = CheckFused(kernel, inputs, scalars, outputs: 1);
        Span<Tensor> output = [null!];
        inputs[0].Backend.Elementwise(kernel, inputs, scalars, shape, output);
        return output[0];
    }

    /// <summary>Runs a fused kernel with several outputs, all written in one pass.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Tensor[] FusedOutputs(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars)
    {
        var shape = CheckFused(kernel, inputs, scalars, kernel.OutputCount);
        var outputs = new Tensor[kernel.OutputCount];
        inputs[0].Backend.Elementwise(kernel, inputs, scalars, shape, outputs);
        return outputs;
    }

    /// <summary>
    /// Runs a fused kernel into existing tensors instead of new ones: <paramref name="outputs"/>
    /// (one per kernel output) must be contiguous, of the inputs' broadcast shape and dtype. An
    /// output may be one of the inputs, the same view, which makes the call an in-place update
    /// (an optimiser writing a parameter's new value over the old one); any other overlap with an
    /// input, or between outputs, is refused.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void FusedInto(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, ReadOnlySpan<Tensor> outputs)
    {
        if (outputs.Length != kernel.OutputCount)
            throw new ArgumentException($"Fused {kernel.Name}: writes {kernel.OutputCount} outputs, got {outputs.Length} tensors to write them into.");
        var shape = CheckFused(kernel, inputs, scalars, outputs.Length);
        for (int k = 0; k < outputs.Length; k++)
        {
            var y = outputs[k];
            string which = $"Fused {kernel.Name}: output {k}";
            if (y.Shape != shape || y.DType != inputs[0].DType)
                throw new ArgumentException($"{which} is {y.DType.Name()} {y.Shape}; the kernel writes {inputs[0].DType.Name()} {shape}.");
            if (!y.IsContiguous) throw new ArgumentException($"{which} is a strided view; it must be contiguous.");
            if (y.Backend != inputs[0].Backend) throw new ArgumentException($"{which} is on {y.Backend.Name}, the inputs on {inputs[0].Backend.Name}.");
            for (int j = 0; j < k; j++)
            {
                if (ReferenceEquals(outputs[j].Storage, y.Storage))
                    throw new ArgumentException($"{which} shares its storage with output {j}.");
            }
            foreach (var x in inputs)
            {
                bool sameView = x.Offset == y.Offset && x.Shape == y.Shape && x.IsContiguous;
                if (ReferenceEquals(x.Storage, y.Storage) && !sameView)
                    throw new ArgumentException($"{which} overlaps an input without being that input: an in-place update must write each element over itself.");
            }
        }
        Span<Tensor> given = [.. outputs];
        inputs[0].Backend.Elementwise(kernel, inputs, scalars, shape, given);
    }

    /// <summary>Validates a fused call and returns the inputs' broadcast shape.</summary>
    private static Shape CheckFused(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, int outputs)
    {
        if (inputs.Length != kernel.InputCount || scalars.Length != kernel.ScalarCount)
            throw new ArgumentException($"Fused {kernel.Name}: expects {kernel.InputCount} tensors and {kernel.ScalarCount} scalars, got {inputs.Length} and {scalars.Length}.");
        if (outputs != kernel.OutputCount || outputs is < 1 or > ElementwiseKernel.MaxOutputs)
            throw new ArgumentException($"Fused {kernel.Name}: writes {kernel.OutputCount} outputs; call {(kernel.OutputCount == 1 ? "Fused" : "FusedOutputs")} (at most {ElementwiseKernel.MaxOutputs}).");
        if (inputs.Length == 0) throw new ArgumentException($"Fused {kernel.Name}: needs at least one tensor input.");
        for (int k = 1; k < inputs.Length; k++) OpChecks.Compatible(kernel.Name, inputs[0], inputs[k]);
        OpChecks.FloatingPoint(kernel.Name, inputs[0]);
        return Broadcasting.Shape(kernel.Name, inputs);
    }
}
