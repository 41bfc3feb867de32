using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Grad.Cpu;

namespace Grad.Benchmarks;

/// <summary>
/// <c>gemm [--json] [--sizes 256,1024,2048] [--threads N]</c>: square float32 C = A·B through Gemm.Multiply on
/// CpuBackend.Threads threads; per size, the median of repeated calls after a warm-up. The peak it
/// reports is measured, not looked up: a register-only FMA loop on the same number of threads.
/// </summary>
internal static class GemmRun
{
    private const double SecondsPerSize = 2.0;
    private const int MinRuns = 5, MaxRuns = 4000;

    public static int Run(string[] args)
    {
        bool json = false;
        int[] sizes = [256, 1024, 2048];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t >= 1: CpuBackend.Threads = t; i++; break;
                case "--sizes" when i + 1 < args.Length && TryParseSizes(args[i + 1], out var parsed): sizes = parsed; i++; break;
                default:
                    Console.Error.WriteLine($"gemm: unknown or incomplete option '{args[i]}'.");
                    Console.Error.WriteLine("usage: Grad.Benchmarks gemm [--json] [--sizes 256,1024,2048] [--threads N]");
                    return 2;
            }
        }

        int threads = CpuBackend.Threads;
        double peak = FmaPeak.MeasureGflops(threads);
        if (!json)
        {
            Console.WriteLine($"float32 GEMM, {threads} threads, kernel {Gemm.BestKernel}, measured FMA peak {peak:F0} GFLOP/s");
            Console.WriteLine($"{"size",6} {"median ms",10} {"GFLOP/s",9} {"of peak",8} {"runs",5}");
        }
        foreach (int size in sizes)
        {
            var (medianSeconds, runs) = Time(size);
            double gflops = 2.0 * size * size * size / medianSeconds / 1e9;
            if (json)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"impl\": \"grad\", \"m\": {size}, \"n\": {size}, \"k\": {size}, \"gflops\": {gflops:F1}, \"median_ms\": {medianSeconds * 1e3:F3}, \"runs\": {runs}, \"threads\": {threads}, \"kernel\": \"{Gemm.BestKernel}\", \"peak_gflops\": {peak:F1}, \"peak_fraction\": {gflops / peak:F3}}}"));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size,6} {medianSeconds * 1e3,10:F3} {gflops,9:F1} {gflops / peak,8:P0} {runs,5}"));
            }
        }
        return 0;
    }

    /// <summary>Median seconds per call: a warm-up (JIT tiering, pack buffers, worker threads),
    /// then calls for a fixed time budget, so every size is sampled over the same wall time.</summary>
    private static (double Median, int Runs) Time(int size)
    {
        var random = new Random(42);
        var a = RandomMatrix(random, size * size);
        var b = RandomMatrix(random, size * size);
        var c = new float[size * size];
        void Call() => Gemm.Multiply<float>(size, size, size, a, size, false, b, size, false, c, size, accumulate: false);

        var clock = Stopwatch.StartNew();
        for (int warmup = 0; warmup < 3 || clock.Elapsed.TotalSeconds < SecondsPerSize / 4; warmup++) Call();
        var times = new List<double>(MaxRuns);
        clock.Restart();
        while (times.Count < MinRuns || (times.Count < MaxRuns && clock.Elapsed.TotalSeconds < SecondsPerSize))
        {
            long start = Stopwatch.GetTimestamp();
            Call();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        times.Sort();
        return (times[times.Count / 2], times.Count);
    }

    private static bool TryParseSizes(string text, out int[] sizes)
    {
        sizes = [];
        var parts = text.Split(',');
        var parsed = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], CultureInfo.InvariantCulture, out parsed[i]) || parsed[i] < 1) return false;
        sizes = parsed;
        return true;
    }

    public static float[] RandomMatrix(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
