using Grad.Backends;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    /// <summary>Rows at least this long (reducing a trailing axis) get a work-group each; shorter
    /// ones, and reductions of inner axes, a work-item per output.</summary>
    private const int RowsKernelLength = 256;
    private const int ReductionGroup = 128;

    public Tensor Reduce(ReduceOp op, Tensor x, ReadOnlySpan<int> axes, bool keepDims) =>
        ReductionRuns.Reduce(this, x, axes, keepDims, (current, outer, reduced, inner, next) => ReduceRun(op, current, outer, reduced, inner, next));

    private void ReduceRun(ReduceOp op, Tensor x, int outer, int reduced, int inner, Tensor y)
    {
        if (y.ElementCount == 0) return;
        if (reduced == 0)
        {
            Fill(y, op == ReduceOp.Mean ? double.NaN : 0);
            return;
        }
        double scale = op == ReduceOp.Mean ? 1.0 / reduced : 1;
        int isMax = op == ReduceOp.Max ? 1 : 0;
        var options = RealOptions(x.DType);
        if (inner == 1 && reduced >= RowsKernelLength)
        {
            Launch("Reduce", "reduce_rows", options).Buffer(x).Int(x.Offset).Buffer(y).Int(reduced).Int(isMax).Real(x.DType, scale)
                .Local(ReductionGroup * x.DType.SizeInBytes())
                .Run([(long)outer * ReductionGroup], [ReductionGroup]);
            return;
        }
        Launch("Reduce", "reduce_strided", options).Buffer(x).Int(x.Offset).Buffer(y)
            .Int(outer).Int(reduced).Int(inner).Int(isMax).Real(x.DType, scale)
            .Run(y.ElementCount);
    }

    public Tensor ArgMax(Tensor x, int axis, bool keepDims)
    {
        using var dense = x.Contiguous();
        var (outer, reduced, inner) = ReductionRuns.Around(x.Shape, axis);
        var y = Allocate(ReductionRuns.Without(x.Shape, axis, keepDims), DType.Int32);
        Launch("Reduce", "argmax", RealOptions(x.DType)).Buffer(dense).Int(dense.Offset).Buffer(y)
            .Int(outer).Int(reduced).Int(inner).Run(y.ElementCount);
        y.Storage.KnownRange = (0, Math.Max(reduced - 1, 0));
        return y;
    }

    public Tensor Softmax(Tensor x, int axis, bool log)
    {
        using var dense = x.Contiguous();
        var (outer, size, inner) = ReductionRuns.Around(x.Shape, axis);
        var y = Allocate(x.Shape, x.DType);
        if (size > 0)
            Launch("Reduce", "softmax", RealOptions(x.DType)).Buffer(dense).Int(dense.Offset).Buffer(y)
                .Int(outer).Int(size).Int(inner).Int(log ? 1 : 0).Run((long)outer * inner);
        return y;
    }
}
