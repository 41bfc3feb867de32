using Grad.Cpu;

namespace Grad.Tests.Unit.Cpu;

/// <summary>Tests that change <see cref="CpuBackend.Threads"/> run one at a time.</summary>
[CollectionDefinition(nameof(CpuThreadsCollection), DisableParallelization = true)]
public sealed class CpuThreadsCollection
{
    /// <summary>The result of <paramref name="compute"/> on the given number of threads, as doubles.</summary>
    public static double[] Compute(int threads, Func<Tensor> compute)
    {
        int saved = CpuBackend.Threads;
        CpuBackend.Threads = threads;
        try
        {
            using var result = compute();
            using var wide = result.To(DType.Float64);
            return wide.ToArray<double>();
        }
        finally
        {
            CpuBackend.Threads = saved;
        }
    }
}
