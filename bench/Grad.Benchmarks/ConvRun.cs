using System.Diagnostics;
using System.Globalization;
using Grad.Cpu;
using Grad.OpenCL;
using static Grad.Ops;

namespace Grad.Benchmarks;

/// <summary>
/// Whole-run timing of the CNN's conv layers at batch 32 (float32): the median of several calls
/// of the forward pass and of both gradients, and the GFLOP/s that gives.
/// Options: <c>--json</c> (one object per line), <c>--iterations N</c> (default 5, after a
/// warm-up), <c>--batch N</c> (default 32), <c>--threads N</c> (default: every core),
/// <c>--device SPEC</c> (default cpu). On an OpenCL device every pass is timed by im2col + GEMM,
/// and by Winograd too where it applies (<see cref="OpenCLBackend.Winograd"/> switched), each
/// call synchronised.
/// </summary>
public static class ConvRun
{
    public static int Run(string[] args)
    {
        bool json = args.Contains("--json");
        int iterations = Option(args, "--iterations", 5), batch = Option(args, "--batch", 32);
        CpuBackend.Threads = Option(args, "--threads", Environment.ProcessorCount);
        int at = Array.IndexOf(args, "--device");
        var backend = DeviceSelection.Choose(at >= 0 && at + 1 < args.Length ? args[at + 1] : "cpu").Backend;
        Device.Default = backend;
        var device = backend as OpenCLBackend;
        if (!json)
        {
            Console.WriteLine($"conv layers on {backend.Name}, batch {batch}, float32, {CpuBackend.Threads} threads, median of {iterations}");
            Console.WriteLine($"{"layer",-18} {"pass",-15} {"algorithm",-9} {"ms",10} {"GFLOP/s",9}");
        }
        foreach (var layer in ConvLayer.Cnn)
        {
            using var x = ConvBenchmarks.Filled(layer.Input(batch), 1);
            using var w = ConvBenchmarks.Filled(layer.Weight, 2);
            using var g = ConvBenchmarks.Filled(layer.Output(batch), 3);
            var passes = new (string Name, Func<Tensor> Call)[]
            {
                ("forward", () => Conv2d(x, w, ConvLayer.Geometry)),
                ("backward_input", () => Conv2dBackwardInput(g, w, x.Shape, ConvLayer.Geometry)),
                ("backward_weight", () => Conv2dBackwardWeight(g, x, w.Shape, ConvLayer.Geometry)),
            };
            // The CPU backend chooses for itself; on OpenCL both algorithms are timed where both apply.
            string[] algorithms = device is null ? ["cpu"]
                : Conv2dWinograd.Applies(ConvLayout.Of(x.Shape, w.Shape, ConvLayer.Geometry)) ? ["im2col", "winograd"] : ["im2col"];
            foreach (var (name, call) in passes)
            {
                foreach (var algorithm in algorithms)
                {
                    if (device is not null) device.Winograd = algorithm == "winograd";
                    double ms = MedianMilliseconds(call, () => device?.Synchronize(), iterations);
                    double gflops = layer.Flops(batch) / (ms * 1e6);
                    Console.WriteLine(json
                        ? string.Create(CultureInfo.InvariantCulture,
                            $"{{\"bench\":\"conv\",\"device\":\"{backend.Name}\",\"layer\":\"{layer}\",\"pass\":\"{name}\",\"algorithm\":\"{algorithm}\",\"batch\":{batch},\"threads\":{CpuBackend.Threads},\"median_ms\":{ms:F3},\"gflops\":{gflops:F2}}}")
                        : string.Create(CultureInfo.InvariantCulture, $"{layer,-18} {name,-15} {algorithm,-9} {ms,10:F2} {gflops,9:F1}"));
                }
            }
        }
        return 0;
    }

    /// <summary>Warms up for a few hundred ms first, so that the code measured is the JIT's
    /// optimised tier rather than its first, unoptimised one.</summary>
    private static double MedianMilliseconds(Func<Tensor> call, Action synchronize, int iterations)
    {
        long warmUp = Stopwatch.GetTimestamp();
        for (int calls = 0; calls < 2 || (calls < 50 && Stopwatch.GetElapsedTime(warmUp).TotalMilliseconds < 300); calls++)
        {
            using (call()) synchronize();
        }
        var times = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using (call()) synchronize();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return iterations % 2 == 1 ? times[iterations / 2] : (times[iterations / 2 - 1] + times[iterations / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 < args.Length && int.TryParse(args[at + 1], out int value) && value > 0) return value;
        throw new ArgumentException($"{name} needs a positive integer.");
    }
}
