using System.Numerics;
using Grad.Fusion;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor Elementwise(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars) =>
        inputs[0].DType == DType.Float32 ? Elementwise<float>(kernel, inputs, scalars) : Elementwise<double>(kernel, inputs, scalars);

    /// <summary>Walks the broadcast output row by row (merging contiguous axes first) and lets
    /// the kernel compute each row from its inputs' rows.</summary>
    private Tensor Elementwise<T>(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shapes = new Shape[inputs.Length];
        for (int k = 0; k < inputs.Length; k++) shapes[k] = inputs[k].Shape;
        var shape = Broadcasting.Shape(kernel.Name, shapes);
        var y = Allocate(shape, inputs[0].DType);
        PassCounter.Record(kernel.Name, y.ElementCount);

        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[ElementwiseKernel.MaxInputs * StridedLayout.MaxRank];
        var layout = new StridedLayout(shape.Dims, inputs.Length, dims, strides);
        var arrays = new InputArrays<T>();
        Span<int> innerStrides = stackalloc int[ElementwiseKernel.MaxInputs];
        Span<int> offsets = stackalloc int[ElementwiseKernel.MaxInputs];
        for (int k = 0; k < inputs.Length; k++)
        {
            Broadcasting.WriteStrides(inputs[k], shape, layout.StridesOf(k));
            arrays[k] = Array<T>(inputs[k]);
        }
        layout.Collapse();
        for (int k = 0; k < inputs.Length; k++) innerStrides[k] = layout.InnerStride(k);

        int inner = layout.InnerLength;
        if (y.ElementCount >= RowPlan.ParallelThreshold && Threads > 1)
        {
            var plan = layout.Freeze();
            var (count, outputArray, scalarArray, baseOffsets) = (inputs.Length, Array<T>(y), scalars.ToArray(), new int[inputs.Length]);
            for (int k = 0; k < count; k++) baseOffsets[k] = inputs[k].Offset;
            var strideArray = innerStrides[..count].ToArray();
            plan.ForEachPiece((row, first, end) =>
            {
                Span<int> pieceOffsets = stackalloc int[ElementwiseKernel.MaxInputs];
                for (int k = 0; k < count; k++) pieceOffsets[k] = baseOffsets[k] + plan.RowOffset(k, row) + first * strideArray[k];
                kernel.Row(new ElementwiseRow<T>(count, arrays, pieceOffsets, strideArray, scalarArray, outputArray.AsSpan(row * inner + first, end - first)));
            });
            return y;
        }
        var output = Span<T>(y);
        for (int row = 0, rows = layout.RowCount; row < rows; row++)
        {
            for (int k = 0; k < inputs.Length; k++) offsets[k] = inputs[k].Offset + layout.RowOffset(k, row);
            kernel.Row(new ElementwiseRow<T>(inputs.Length, arrays, offsets, innerStrides, scalars, output.Slice(row * inner, inner)));
        }
        return y;
    }
}
