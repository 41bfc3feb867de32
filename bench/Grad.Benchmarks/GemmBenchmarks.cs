using BenchmarkDotNet.Attributes;
using Grad.Cpu;

namespace Grad.Benchmarks;

/// <summary>Square float32 GEMM on preallocated arrays: C = A·B, on every core.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GemmBenchmarks
{
    private float[] a = [], b = [], c = [];

    [Params(256, 1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        a = GemmRun.RandomMatrix(random, Size * Size);
        b = GemmRun.RandomMatrix(random, Size * Size);
        c = new float[Size * Size];
    }

    [Benchmark]
    public void Multiply() =>
        Gemm.Multiply<float>(Size, Size, Size, a, Size, false, b, Size, false, c, Size, accumulate: false);
}
