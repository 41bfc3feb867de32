using System.Numerics;
using Grad.Backends;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    /// <summary>Leading runs first (<see cref="ReductionRuns"/>): adding whole rows is SIMD-wide
    /// however small the trailing planes are (batch norm's 2×2 maps).</summary>
    public Tensor Reduce(ReduceOp op, Tensor x, ReadOnlySpan<int> axes, bool keepDims) =>
        ReductionRuns.Reduce(this, x, axes, keepDims, x.DType == DType.Float32 ? Run<float>(op) : Run<double>(op));

    private static ReductionRuns.RunReduction Run<T>(ReduceOp op) where T : unmanaged, IFloatingPointIeee754<T> => (x, outer, reduced, inner, y) =>
    {
        PassCounter.Record(op, x.ElementCount);
        ReductionKernels.Reduce<T>(op, Memory<T>(x), outer, reduced, inner, Memory<T>(y));
    };

    public Tensor ArgMax(Tensor x, int axis, bool keepDims)
    {
        using var dense = x.Contiguous();
        var (outer, reduced, inner) = ReductionRuns.Around(x.Shape, axis);
        var y = Allocate(ReductionRuns.Without(x.Shape, axis, keepDims), DType.Int32);
        if (x.DType == DType.Float32) ReductionKernels.ArgMax<float>(Span<float>(dense), outer, reduced, inner, Span<int>(y));
        else ReductionKernels.ArgMax<double>(Span<double>(dense), outer, reduced, inner, Span<int>(y));
        return y;
    }

    public Tensor Softmax(Tensor x, int axis, bool log)
    {
        using var dense = x.Contiguous();
        var (outer, size, inner) = ReductionRuns.Around(x.Shape, axis);
        var y = Allocate(x.Shape, x.DType);
        PassCounter.Record(log ? "LogSoftmax" : "Softmax", y.ElementCount);
        if (x.DType == DType.Float32) SoftmaxKernels.Softmax<float>(Span<float>(dense), outer, size, inner, log, Span<float>(y));
        else SoftmaxKernels.Softmax<double>(Span<double>(dense), outer, size, inner, log, Span<double>(y));
        return y;
    }
}
