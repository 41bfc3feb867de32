using Grad.Cpu;
using Grad.Layers;
using static Grad.Ops;

namespace Grad.Tests.Unit.Core;

/// <summary>Large element-wise passes split across threads (whole rows, or pieces of one long
/// row) give exactly the single-threaded result.</summary>
[Collection(nameof(CpuThreadsCollection))]
public class ParallelElementwiseTests
{
    private static double[] OnThreads(int threads, Func<Tensor> compute)
    {
        int saved = CpuBackend.Threads;
        CpuBackend.Threads = threads;
        try
        {
            using var result = compute();
            using var wide = result.To(DType.Float64); // the same tensor when it is float64: disposing twice is harmless
            return wide.ToArray<double>();
        }
        finally
        {
            CpuBackend.Threads = saved;
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Binary_unary_and_fused_passes_do_not_depend_on_the_thread_count(DType dtype)
    {
        using var x = Init.Normal([4, 8, 32, 33], seed: 1, dtype: dtype);          // 33 792 elements, over the threshold
        using var bias = Init.Normal([8, 1, 1], seed: 2, dtype: dtype);
        using var wide = Init.Normal([1, 40_000], seed: 3, dtype: dtype);           // one long row, split inside it
        using var transposed = Init.Normal([200, 190], seed: 4, dtype: dtype);
        var cases = new Func<Tensor>[]
        {
            () => x * bias - 1.0,
            () => Relu(x),
            () => Exp(wide) / (wide + 3.0),
            () => transposed.T * 2.0,
        };
        foreach (var compute in cases)
            Assert.Equal(OnThreads(1, compute), OnThreads(2, compute));

        var bn = BatchNorm2d.Create(8, dtype);
        Assert.Equal(
            OnThreads(1, () => { var (y, tape, _) = bn.Train(x); using (tape) return bn.Backward(tape, y).dx; }),
            OnThreads(2, () => { var (y, tape, _) = bn.Train(x); using (tape) return bn.Backward(tape, y).dx; }));
    }
}

/// <summary>Tests that change <see cref="CpuBackend.Threads"/> run one at a time.</summary>
[CollectionDefinition(nameof(CpuThreadsCollection), DisableParallelization = true)]
public sealed class CpuThreadsCollection;
