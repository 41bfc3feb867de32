using System.CommandLine;
using System.Diagnostics;
using Grad.Layers;
using static Grad.Ops;

namespace Grad.Examples.Cli;

/// <summary>
/// The practical's custom batch norm: the generated backward beside the hand formula on the same
/// batch (max differences, in float64 and float32), their speed, and a short training run of a
/// small network that uses the hand-written layer.
/// </summary>
public static class BatchNormDemo
{
    public static Command Create()
    {
        var command = new Command("batchnorm", "Compare the generated batch-norm backward with the hand formula, then train with it.");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the batch and the network.", DefaultValueFactory = _ => 42 };
        var batch = new Option<int>("--batch_size") { Description = "Rows of the batch.", DefaultValueFactory = _ => 128 };
        var features = new Option<int>("--features") { Description = "Features per row.", DefaultValueFactory = _ => 512 };
        command.Options.Add(seed);
        command.Options.Add(batch);
        command.Options.Add(features);
        command.SetAction(parse => Training.Runner.Guard(() => Run(parse.GetValue(seed), parse.GetValue(batch), parse.GetValue(features))));
        return command;
    }

    private static int Run(ulong seed, int batch, int features)
    {
        if (batch < 2 || features < 1) throw new ArgumentException("--batch_size must be at least 2 and --features at least 1.");
        Console.WriteLine($"Batch norm on a ({batch}, {features}) batch, training mode.");
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
            Compare(seed, batch, features, dtype);
        Time(seed, batch, features);
        TrainTiny(seed);
        return 0;
    }

    private static BatchNormManual Layer(int features, ulong seed, DType dtype) =>
        new(Init.Normal([features], 1, 0.1, seed, dtype), Init.Normal([features], 0, 0.1, seed + 1, dtype),
            Tensor.Zeros([features], dtype), Tensor.Ones([features], dtype));

    private static void Compare(ulong seed, int batch, int features, DType dtype)
    {
        var bn = Layer(features, seed, dtype);
        using var x = Init.Normal([batch, features], 2, 3, seed + 2, dtype);
        using var g = Init.Normal([batch, features], 0, 1, seed + 3, dtype);
        var (y, tape, _) = bn.Train(x);
        using (y)
        using (tape)
        {
            var (dxHand, hand) = bn.Backward(tape, g);
            var (dxDerived, derived) = bn.DerivedBackward(tape, g);
            Console.WriteLine($"  {dtype.Name()}: max |generated − hand|: dx {MaxDifference(dxDerived, dxHand):E2}, " +
                $"dγ {MaxDifference(derived.Gamma, hand.Gamma):E2}, dβ {MaxDifference(derived.Beta, hand.Beta):E2}");
        }
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var difference = Abs(a - b);
        using var max = Max(difference);
        return max.Item();
    }

    private static void Time(ulong seed, int batch, int features)
    {
        var bn = Layer(features, seed, DType.Float32);
        using var x = Init.Normal([batch, features], 2, 3, seed + 2);
        using var g = Init.Normal([batch, features], 0, 1, seed + 3);
        foreach (var (name, generated) in new[] { ("generated backward", true), ("hand backward", false) })
        {
            var times = new List<double>();
            for (int round = 0; round < 200; round++)
            {
                var clock = Stopwatch.StartNew();
                var (y, tape, _) = bn.Train(x);
                var (dx, gradient) = generated ? bn.DerivedBackward(tape, g) : bn.Backward(tape, g);
                clock.Stop();
                if (round >= 20) times.Add(clock.Elapsed.TotalMicroseconds);
                y.Dispose();
                tape.Dispose();
                dx.Dispose();
                gradient.Gamma.Dispose();
                gradient.Beta.Dispose();
            }
            times.Sort();
            Console.WriteLine($"  float32 forward + {name}: median {times[times.Count / 2]:F0} µs");
        }
    }

    /// <summary>A 2-16-2 network with the hand-written batch norm, fitted to two Gaussian
    /// blobs with plain SGD: the loss must fall.</summary>
    private static void TrainTiny(ulong seed)
    {
        Console.WriteLine("Training Linear → BatchNormManual → ReLU → Linear on two Gaussian blobs (plain SGD, lr 0.1):");
        var model = new Sequential(Linear.Create(2, 16, seed), BatchNormManual.Create(16), new ReLU(), Linear.Create(16, 2, seed + 2));
        var loss = new CrossEntropy();
        var rng = new Rng(seed);
        for (int step = 0; step <= 200; step++)
        {
            var labels = Enumerable.Range(0, 64).Select(_ => rng.NextInt(2)).ToArray();
            var points = labels.SelectMany(l => new[] { (float)(rng.NextNormal() + (l == 0 ? -1.5 : 1.5)), (float)rng.NextNormal() }).ToArray();
            using var x = Tensor.FromArray(points, 64, 2);
            using var y = Tensor.FromArray(labels, 64);
            using var targets = OneHot(y, 2);
            var (logits, tape, next) = model.Train(x);
            var (value, lossTape, _) = loss.Train(logits, targets);
            using var seedGradient = Tensor.Scalar(1);
            var (dLogits, _) = loss.Backward(lossTape, seedGradient);
            var (_, gradient) = next.Backward(tape, dLogits);
            model = next.ZipParameters(gradient, (_, p, gp) => p - 0.1 * gp);
            if (step % 50 == 0) Console.WriteLine($"  step {step,3}: loss {value.Item():F4}");
            tape.Dispose();
            lossTape.Dispose();
        }
    }
}
