using System.Numerics;
using Grad.Fusion;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public void Elementwise(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, Shape shape, Span<Tensor> outputs)
    {
        if (inputs[0].DType == DType.Float32) Elementwise<float>(kernel, inputs, scalars, shape, outputs);
        else Elementwise<double>(kernel, inputs, scalars, shape, outputs);
    }

    /// <summary>Walks the broadcast output row by row (merging contiguous axes first) and lets
    /// the kernel compute each row of its outputs from its inputs' rows.</summary>
    private void Elementwise<T>(ElementwiseKernel kernel, ReadOnlySpan<Tensor> inputs, ReadOnlySpan<double> scalars, Shape shape, Span<Tensor> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < outputs.Length; k++) outputs[k] ??= Allocate(shape, inputs[0].DType);
        var y = outputs[0];
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
        Span<int> rowStrides = stackalloc int[ElementwiseKernel.MaxInputs];
        for (int k = 0; k < inputs.Length; k++) rowStrides[k] = layout.RowStride(k);
        var (y0, y1, y2) = (OutputOf<T>(outputs, 0), OutputOf<T>(outputs, 1), OutputOf<T>(outputs, 2));
        if (y.ElementCount >= RowPlan.ParallelThreshold && Threads > 1)
        {
            var plan = layout.Freeze();
            var (count, scalarArray, baseOffsets) = (inputs.Length, scalars.ToArray(), new int[inputs.Length]);
            for (int k = 0; k < count; k++) baseOffsets[k] = inputs[k].Offset;
            var (strideArray, rowStrideArray) = (innerStrides[..count].ToArray(), rowStrides[..count].ToArray());
            plan.ForEachPiece((row, rows, first, end, rowOffsets) =>
            {
                Span<int> pieceOffsets = stackalloc int[ElementwiseKernel.MaxInputs];
                for (int k = 0; k < count; k++) pieceOffsets[k] = baseOffsets[k] + rowOffsets[k] + first * strideArray[k];
                int start = row * inner + first, length = end - first, size = (rows - 1) * inner + length;
                kernel.Run(new ElementwiseRow<T>(count, arrays, pieceOffsets, strideArray, rowStrideArray, rows, length, scalarArray,
                    Piece(y0, start, size), Piece(y1, start, size), Piece(y2, start, size)));
            });
            return;
        }
        // One kernel call per run of rows along the innermost outer axis, not per row.
        Span<int> index = stackalloc int[StridedLayout.MaxRank];
        Span<int> rowOffsets = stackalloc int[inputs.Length];
        Span<int> starts = stackalloc int[inputs.Length];
        for (int k = 0; k < inputs.Length; k++) starts[k] = inputs[k].Offset;
        layout.Start(index, rowOffsets);
        for (int row = 0, rows = layout.RowCount; row < rows;)
        {
            int run = layout.RunLength(index);
            for (int k = 0; k < starts.Length; k++) offsets[k] = starts[k] + rowOffsets[k];
            kernel.Run(new ElementwiseRow<T>(inputs.Length, arrays, offsets, innerStrides, rowStrides, run, inner, scalars,
                Piece(y0, row * inner, run * inner), Piece(y1, row * inner, run * inner), Piece(y2, row * inner, run * inner)));
            layout.AdvanceBy(index, rowOffsets, run);
            row += run;
        }
    }

    /// <summary>Output k's array and where its elements start (a given output may start anywhere
    /// in its storage), or no array when the kernel has fewer outputs.</summary>
    private static (T[]? Array, int Offset) OutputOf<T>(ReadOnlySpan<Tensor> outputs, int k) where T : unmanaged =>
        k < outputs.Length ? (Array<T>(outputs[k]), outputs[k].Offset) : (null, 0);

    private static Span<T> Piece<T>((T[]? Array, int Offset) output, int start, int length) =>
        output.Array is null ? default : output.Array.AsSpan(output.Offset + start, length);
}
