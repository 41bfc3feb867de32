using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grad.Cpu;
using Grad.Examples.Models;
using Grad.Layers;
using Grad.OpenCL;
using Grad.Optim;
using Grad.Training;

namespace Grad.Benchmarks;

/// <summary>
/// <c>train-step [--json] [--workloads a,b,c,d] [--steps N] [--threads N] [--device SPEC]</c>: the peers' workloads
/// (../shared/peers): (a) MLP 3072-100-10, SGD, batch 200; (b) MLP 3072-600-600-200-10, Adam with
/// weight decay, batch 400; (c) the VGG-style CNN, Adam, batch 32; (d) batch norm forward and
/// backward on (128, 512). <c>id:N</c> runs a workload at batch N instead (<c>c:128</c>). Each runs the library's training step, as the trainers do (with the
/// count of correct predictions), on random inputs; reports the median
/// step time after a warm-up and the bytes allocated per step on all threads.
/// </summary>
internal static class TrainStepRun
{
    private sealed record Workload(string Id, string Name, Func<Sequential> Model, IOptimizer Optimizer, double LearningRate, int Batch, bool Flat, int Steps);

    public static int Run(string[] args)
    {
        bool json = false;
        string workloads = "a,b,c,d";
        int? steps = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--workloads" when i + 1 < args.Length: workloads = args[++i]; break;
                case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0: steps = n; i++; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t >= 1: CpuBackend.Threads = t; i++; break;
                case "--device" when i + 1 < args.Length: Device.Default = DeviceSelection.Choose(args[++i]).Backend; break;
                default:
                    Console.Error.WriteLine($"train-step: unknown or incomplete option '{args[i]}'.");
                    Console.Error.WriteLine("usage: Grad.Benchmarks train-step [--json] [--workloads a,b,c,c:128,d] [--steps N] [--threads N] [--device cpu|opencl[:N]]");
                    return 2;
            }
        }
        var all = new Dictionary<string, Workload>
        {
            ["a"] = new("a", "MLP 3072-100-10, SGD", () => ModelFactory.NumpyMlp(1), new Sgd(), 2e-3, 200, true, 100),
            ["b"] = new("b", "MLP 3072-600-600-200-10, Adam + wd", () => ModelFactory.Mlp([600, 600, 200], 1), new Adam(WeightDecay: 2e-3), 3e-4, 400, true, 30),
            ["c"] = new("c", "VGG-style CNN, Adam", () => ModelFactory.ConvNet(1), new Adam(), 1e-4, 32, false, 12),
        };
        foreach (var spec in workloads.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (spec == "d")
            {
                Report(json, "d", "BatchNorm forward + backward, (128, 512)", BatchNormMicroseconds(steps ?? 500), "us", 0);
                continue;
            }
            var (id, batchText) = spec.Split(':', 2) is [var i, var b] ? (i, b) : (spec, null);
            if (!all.TryGetValue(id, out var workload))
            {
                Console.Error.WriteLine($"train-step: unknown workload '{spec}' (a, b, c or d; a batch size after a colon, as c:128).");
                return 2;
            }
            if (batchText is not null)
            {
                if (!int.TryParse(batchText, out int batch) || batch < 1)
                {
                    Console.Error.WriteLine($"train-step: '{spec}': give a positive batch size after the colon.");
                    return 2;
                }
                workload = workload with { Batch = batch };
            }
            var (median, bytes) = Time(workload, steps ?? workload.Steps);
            Report(json, spec, $"{workload.Name}, batch {workload.Batch}", median, "ms", bytes);
        }
        return 0;
    }

    private static (double MedianMs, long BytesPerStep) Time(Workload w, int steps)
    {
        using var trainer = new Trainer<Sequential>(w.Model(), w.Optimizer, new CrossEntropyLoss());
        using var images = Init.Normal(w.Flat ? [w.Batch, ModelFactory.Inputs] : [w.Batch, 3, 32, 32], 0, 60, seed: 7);
        using var labels = Tensor.FromArray(Enumerable.Range(0, w.Batch).Select(i => i % ModelFactory.Classes).ToArray(), w.Batch);
        var times = new List<double>();
        long allocated = 0;
        int warmup = Math.Max(3, steps / 5);
        for (int step = 0; step < warmup + steps; step++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var result = trainer.Step(images, labels, w.LearningRate);
            using (result.Output) Classification.Correct(result.Output, labels);
            clock.Stop();
            if (step < warmup) continue;
            times.Add(clock.Elapsed.TotalMilliseconds);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        times.Sort();
        return (times[times.Count / 2], allocated / steps);
    }

    private static double BatchNormMicroseconds(int steps)
    {
        var bn = BatchNorm.Create(512);
        using var x = Init.Normal([128, 512], 0, 1, seed: 3);
        using var g = Init.Normal([128, 512], 0, 1, seed: 4);
        var times = new List<double>();
        for (int step = 0; step < steps + 50; step++)
        {
            using var scope = TensorScope.Begin();
            var clock = Stopwatch.StartNew();
            var (_, tape, _) = bn.Train(x);
            bn.Backward(tape, g);
            clock.Stop();
            tape.Dispose();
            if (step >= 50) times.Add(clock.Elapsed.TotalMicroseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static void Report(bool json, string id, string name, double median, string unit, long bytes)
    {
        if (json)
        {
            Console.WriteLine(new JsonObject { ["workload"] = id, ["name"] = name, ["median_" + unit] = median, ["allocated_bytes_per_step"] = bytes }.ToJsonString());
            return;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({id}) {name,-48} median {median,9:F2} {unit}  allocated {bytes / 1024.0,8:F1} KiB/step"));
    }
}
