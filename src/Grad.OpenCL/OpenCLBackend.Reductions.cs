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
        if (inner == 1 && reduced >= RowsKernelLength)
        {
            // Enough work-groups to fill the device: a few rows get several groups each, whose
            // partials a second pass adds up.
            int parts = (int)Math.Clamp(Math.Min((long)reduced / (ReductionGroup * 16), 8L * Device.ComputeUnits / outer), 1, 1024);
            if (parts == 1)
            {
                ReduceRows(x, x.Offset, y, outer, reduced, 1, isMax, scale);
                return;
            }
            using var partials = Allocate(new Shape(outer, parts), x.DType);
            ReduceRows(x, x.Offset, partials, outer, reduced, parts, isMax, 1);
            ReduceRows(partials, 0, y, outer, parts, 1, isMax, scale);
            return;
        }
        Launch("Reduce", "reduce_strided", RealOptions(x.DType)).Buffer(x).Int(x.Offset).Buffer(y)
            .Int(outer).Int(reduced).Int(inner).Int(isMax).Real(x.DType, scale)
            .Run(y.ElementCount);
    }

    private void ReduceRows(Tensor x, int offset, Tensor y, int rows, int reduced, int parts, int isMax, double scale) =>
        Launch("Reduce", "reduce_rows", RealOptions(x.DType)).Buffer(x).Int(offset).Buffer(y).Int(reduced).Int(parts).Int(isMax).Real(x.DType, scale)
            .Local(ReductionGroup * x.DType.SizeInBytes())
            .Run([(long)rows * parts * ReductionGroup], [ReductionGroup]);

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
