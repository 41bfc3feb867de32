using BenchmarkDotNet.Attributes;
using Grad.Backends;
using Grad.Cpu;

namespace Grad.Benchmarks;

/// <summary>
/// Element-wise and reduction kernels at the CNN's activation size (32×64×32×32 floats). The
/// <c>Kernel_*</c> cases call the CPU kernels on preallocated buffers (they must show 0 B
/// allocated); the <c>Op_*</c> cases go through the tensor API, whose only managed allocations are
/// the result's small Tensor/Storage/Shape objects (its buffer comes from the pool).
/// </summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    private const int Elements = 32 * 64 * 32 * 32;
    private float[] _a = null!, _b = null!, _y = null!;
    private Tensor _x = null!, _bias = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _a = Enumerable.Range(0, Elements).Select(_ => (float)rng.NextNormal()).ToArray();
        _b = Enumerable.Range(0, Elements).Select(_ => (float)rng.NextNormal()).ToArray();
        _y = new float[Elements];
        _x = Tensor.FromArray(_a, 32, 64, 32, 32);
        _bias = Init.Normal([64, 1, 1], seed: 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _bias.Dispose();
    }

    [Benchmark]
    public void Kernel_SumOverBatch() => ReductionKernels.Reduce<float>(ReduceOp.Sum, _a, 1, 32, Elements / 32, _y.AsMemory(0, Elements / 32));

    [Benchmark]
    public void Op_AddChannelBias()
    {
        using var y = _x + _bias;
    }

    [Benchmark]
    public void Op_Relu()
    {
        using var y = Ops.Relu(_x);
    }

    [Benchmark]
    public void Op_MeanOverBatchAndSpace()
    {
        using var y = Ops.Mean(_x, [0, 2, 3], keepDims: true);
    }
}
