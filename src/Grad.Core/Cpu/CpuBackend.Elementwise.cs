using System.Numerics;
using Grad.Backends;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor Unary(UnaryOp op, Tensor x) =>
        x.DType == DType.Float32 ? Unary<float>(op, x) : Unary<double>(op, x);

    private Tensor Unary<T>(UnaryOp op, Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var dense = x.Contiguous();
        var y = Allocate(x.Shape, x.DType);
        PassCounter.Record(op, y.ElementCount);
        if (y.ElementCount < RowPlan.ParallelThreshold || Threads == 1)
        {
            ElementwiseKernels.Unary<T>(op, Span<T>(dense), Span<T>(y));
            return y;
        }
        var (source, sourceOffset, target) = (Array<T>(dense), dense.Offset, Array<T>(y));
        new RowPlan([y.ElementCount], [1]).ForEachPiece((_, first, end, _) =>
            ElementwiseKernels.Unary<T>(op, source.AsSpan(sourceOffset + first, end - first), target.AsSpan(first, end - first)));
        return y;
    }

    public Tensor Binary(BinaryOp op, Tensor a, Tensor b) =>
        a.DType == DType.Float32 ? Binary<float>(op, a, b) : Binary<double>(op, a, b);

    private Tensor Binary<T>(BinaryOp op, Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Broadcasting.Shape(op.ToString(), a.Shape, b.Shape);
        var y = Allocate(shape, a.DType);
        PassCounter.Record(op, y.ElementCount);
        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[2 * StridedLayout.MaxRank];
        var layout = new StridedLayout(shape.Dims, 2, dims, strides);
        Broadcasting.WriteStrides(a, shape, layout.StridesOf(0));
        Broadcasting.WriteStrides(b, shape, layout.StridesOf(1));
        layout.Collapse();

        int inner = layout.InnerLength;
        int strideA = layout.InnerStride(0), strideB = layout.InnerStride(1);
        if (y.ElementCount >= RowPlan.ParallelThreshold && Threads > 1)
        {
            var plan = layout.Freeze();
            var (aArray, bArray, yArray) = (Array<T>(a), Array<T>(b), Array<T>(y));
            int aOffset = a.Offset, bOffset = b.Offset;
            plan.ForEachPiece((row, first, end, offsets) => ElementwiseKernels.BinaryRow<T>(op,
                aArray.AsSpan(aOffset + offsets[0] + first * strideA), strideA,
                bArray.AsSpan(bOffset + offsets[1] + first * strideB), strideB,
                yArray.AsSpan(row * inner + first, end - first)));
            return y;
        }
        var aData = Array<T>(a).AsSpan(a.Offset);
        var bData = Array<T>(b).AsSpan(b.Offset);
        var yData = Span<T>(y);
        Span<int> index = stackalloc int[StridedLayout.MaxRank];
        Span<int> offsets = stackalloc int[2];
        layout.Start(index, offsets);
        for (int row = 0, rows = layout.RowCount; row < rows; row++, layout.Advance(index, offsets))
        {
            ElementwiseKernels.BinaryRow<T>(op,
                aData[offsets[0]..], strideA,
                bData[offsets[1]..], strideB,
                yData.Slice(row * inner, inner));
        }
        return y;
    }

    public Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse) =>
        whenTrue.DType == DType.Float32 ? Where<float>(condition, whenTrue, whenFalse) : Where<double>(condition, whenTrue, whenFalse);

    private Tensor Where<T>(Tensor c, Tensor a, Tensor b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Broadcasting.Shape("Where", c.Shape, a.Shape, b.Shape);
        var y = Allocate(shape, a.DType);
        PassCounter.Record("Where", y.ElementCount);
        Span<int> dims = stackalloc int[StridedLayout.MaxRank];
        Span<int> strides = stackalloc int[3 * StridedLayout.MaxRank];
        var layout = new StridedLayout(shape.Dims, 3, dims, strides);
        Broadcasting.WriteStrides(c, shape, layout.StridesOf(0));
        Broadcasting.WriteStrides(a, shape, layout.StridesOf(1));
        Broadcasting.WriteStrides(b, shape, layout.StridesOf(2));
        layout.Collapse();

        var cData = Array<T>(c).AsSpan(c.Offset);
        var aData = Array<T>(a).AsSpan(a.Offset);
        var bData = Array<T>(b).AsSpan(b.Offset);
        var yData = Span<T>(y);
        int inner = layout.InnerLength;
        Span<int> index = stackalloc int[StridedLayout.MaxRank];
        Span<int> offsets = stackalloc int[3];
        layout.Start(index, offsets);
        for (int row = 0, rows = layout.RowCount; row < rows; row++, layout.Advance(index, offsets))
        {
            ElementwiseKernels.WhereRow<T>(
                cData[offsets[0]..], layout.InnerStride(0),
                aData[offsets[1]..], layout.InnerStride(1),
                bData[offsets[2]..], layout.InnerStride(2),
                yData.Slice(row * inner, inner));
        }
        return y;
    }
}
