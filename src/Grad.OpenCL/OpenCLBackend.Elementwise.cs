using System.Runtime.CompilerServices;
using Grad.Cpu;
using Grad.Fusion;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    /// <summary>Each kernel's program source, written once per kernel object.</summary>
    private static readonly ConditionalWeakTable<ElementwiseKernel, string> Sources = new();

    /// <summary>Axes contiguous for every input are merged first; a layout that merges into one
    /// run of stride 1 or 0 per input takes the dense kernel, any other the strided one.</summary>
    public void Elementwise(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, Shape shape, Span<Tensor> outputs)
    {
        var dtype = inputs[0].DType;
        for (int k = 0; k < outputs.Length; k++) outputs[k] ??= Allocate(shape, dtype);
        int n = shape.ElementCount;
        if (n == 0) return;

        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[ElementwiseKernel.MaxInputs * StridedLayout.MaxRank];
        var layout = new StridedLayout(shape.Dims, inputs.Length, dims, strides);
        for (int k = 0; k < inputs.Length; k++) Broadcasting.WriteStrides(inputs[k], shape, layout.StridesOf(k));
        layout.Collapse();
        bool dense = layout.Rank == 1;
        for (int k = 0; k < inputs.Length && dense; k++) dense = layout.InnerStride(k) is 0 or 1;

        var source = Sources.GetValue(kernel, ElementwiseProgram.Source);
        var launch = LaunchSource(kernel.Name, source, RealOptions(dtype), dense ? "dense" : "strided");
        for (int k = 0; k < inputs.Length; k++)
        {
            launch = launch.Buffer(inputs[k]).Int(inputs[k].Offset);
            launch = dense ? launch.Int(layout.InnerStride(k)) : launch.Int16(layout.StridesOf(k)[..layout.Rank]);
        }
        foreach (var output in outputs) launch = launch.Buffer(output).Int(output.Offset);
        foreach (var scalar in scalars) launch = launch.Real(dtype, scalar);
        launch = launch.Int(n);
        if (!dense) launch = launch.Int(layout.Rank).Int16(dims[..layout.Rank]);
        launch.Run(n);
    }
}
