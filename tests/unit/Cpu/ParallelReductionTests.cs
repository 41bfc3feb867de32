using Grad.Backends;

namespace Grad.Tests.Unit.Cpu;

/// <summary>Large reductions split across threads (by rows of the result, or by column ranges
/// of a single row) give exactly the single-threaded result, which the brute-force tests pin.</summary>
[Collection(nameof(CpuThreadsCollection))]
public class ParallelReductionTests
{
    public static TheoryData<ReduceOp, int[], int[]> Cases()
    {
        var data = new TheoryData<ReduceOp, int[], int[]>();
        var shapes = new (int[] Shape, int[] Axes)[]
        {
            ([3, 70_000], [0]),          // one row of many columns: the columns are split
            ([3, 70_000], [1]),          // a trailing axis: one SIMD reduction per row
            ([40_000, 3], [0]),
            ([2, 50_000, 2], [1]),
            ([8, 64, 20, 20], [0, 2, 3]), // batch norm's statistics
        };
        foreach (var op in Enum.GetValues<ReduceOp>())
        foreach (var (shape, axes) in shapes)
            data.Add(op, shape, axes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reductions_do_not_depend_on_the_thread_count(ReduceOp op, int[] shape, int[] axes)
    {
        using var x = Init.Normal(shape, seed: 11);
        Assert.Equal(CpuThreadsCollection.Compute(1, () => Ops.Reduce(op, x, axes, keepDims: false)),
                     CpuThreadsCollection.Compute(3, () => Ops.Reduce(op, x, axes, keepDims: false)));
    }
}
