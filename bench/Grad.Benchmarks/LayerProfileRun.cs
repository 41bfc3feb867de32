using System.Diagnostics;
using System.Globalization;
using Grad.Cpu;
using Grad.Examples.Models;
using Grad.Layers;
using Grad.Optim;

namespace Grad.Benchmarks;

/// <summary>
/// <c>layers [--workload a|b|c] [--steps N] [--threads N]</c>: where a training step's time goes.
/// Runs the workload's network layer by layer (forward in training mode, then the backward in
/// reverse, then the optimiser) and prints each part's median time and its share of the step.
/// </summary>
internal static class LayerProfileRun
{
    public static int Run(string[] args)
    {
        string workload = "c";
        int steps = 10;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workload" when i + 1 < args.Length && args[i + 1] is "a" or "b" or "c": workload = args[++i]; break;
                case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0: steps = n; i++; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t >= 1: CpuBackend.Threads = t; i++; break;
                default:
                    Console.Error.WriteLine($"layers: unknown or incomplete option '{args[i]}'.");
                    Console.Error.WriteLine("usage: Grad.Benchmarks layers [--workload a|b|c] [--steps N] [--threads N]");
                    return 2;
            }
        }
        var (model, optimizer, learningRate, input) = workload switch
        {
            "a" => (ModelFactory.NumpyMlp(1), (IOptimizer)new Sgd(), 2e-3, Init.Normal([200, ModelFactory.Inputs], 0, 60, seed: 7)),
            "b" => (ModelFactory.Mlp([600, 600, 200], 1), new Adam(WeightDecay: 2e-3), 3e-4, Init.Normal([400, ModelFactory.Inputs], 0, 60, seed: 7)),
            _ => (ModelFactory.ConvNet(1), new Adam(), 1e-4, Init.Normal([32, 3, 32, 32], 0, 60, seed: 7)),
        };
        var profile = Profile(model, optimizer, learningRate, input, steps);
        input.Dispose();
        Print(profile);
        return 0;
    }

    private static List<(string Part, double MedianMs)> Profile(Sequential model, IOptimizer optimizer, double learningRate, Tensor input, int steps)
    {
        int layers = model.Layers.Length;
        var forward = new List<double>[layers];
        var backward = new List<double>[layers];
        for (int i = 0; i < layers; i++) (forward[i], backward[i]) = ([], []);
        var update = new List<double>();
        var state = OptimizerState.Initial;
        int warmup = 3;
        for (int step = 0; step < warmup + steps; step++)
        {
            bool record = step >= warmup;
            using var scope = TensorScope.Begin();
            var tapes = new ITape[layers];
            var updated = new ILayer[layers];
            var current = input;
            for (int i = 0; i < layers; i++)
            {
                var clock = Stopwatch.StartNew();
                (current, tapes[i], updated[i]) = model.Layers[i].TrainUntyped(current);
                if (record) forward[i].Add(clock.Elapsed.TotalMilliseconds);
            }
            // Any cotangent of the output's shape will do for timing.
            var gradient = Tensor.Ones(current.Shape, current.DType);
            var gradients = new ILayer[layers];
            for (int i = layers - 1; i >= 0; i--)
            {
                var clock = Stopwatch.StartNew();
                if (i > 0) (gradient, gradients[i]) = updated[i].BackwardUntyped(tapes[i], gradient);
                else gradients[0] = updated[0].BackwardParametersUntyped(tapes[0], gradient);
                if (record) backward[i].Add(clock.Elapsed.TotalMilliseconds);
                tapes[i].Dispose();
            }
            var next = new Sequential(updated);
            var updateClock = Stopwatch.StartNew();
            // As the trainers do: the old parameters and state are not read again, so the step writes over them.
            var (stepped, nextState) = optimizer.Step(next, new Sequential(gradients), state, learningRate, donate: true);
            if (record) update.Add(updateClock.Elapsed.TotalMilliseconds);
            foreach (var t in stepped.Parameters().Concat(stepped.States()).Concat(nextState.Named())) scope.Detach(t.Value);
            state.Dispose();
            (model, state) = (stepped, nextState);
        }
        var parts = new List<(string, double)>();
        for (int i = 0; i < layers; i++) parts.Add(($"{i,2} {Describe(model.Layers[i])} forward", Median(forward[i])));
        for (int i = layers - 1; i >= 0; i--) parts.Add(($"{i,2} {Describe(model.Layers[i])} backward", Median(backward[i])));
        parts.Add(($"   {optimizer.GetType().Name} update", Median(update)));
        return parts;
    }

    private static string Describe(ILayer layer) => layer switch
    {
        Conv2d c => $"Conv2d {c.W.Shape[1]}→{c.W.Shape[0]}",
        Linear l => $"Linear {l.W.Shape[1]}→{l.W.Shape[0]}",
        BatchNorm2d b => $"BatchNorm2d {b.Gamma.Shape[0]}",
        _ => layer.GetType().Name,
    };

    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private static void Print(List<(string Part, double MedianMs)> parts)
    {
        double total = parts.Sum(p => p.MedianMs);
        foreach (var (part, ms) in parts)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{part,-36} {ms,9:F2} ms  {100 * ms / total,5:F1} %"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"sum of medians",-36} {total,9:F2} ms"));
    }
}
