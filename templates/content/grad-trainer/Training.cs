using System.Diagnostics;
using Grad;
using Grad.Data;
using Grad.Datasets;
using Grad.Layers;
using Grad.Optim;
using Grad.Training;

namespace GradTrainer;

/// <summary>The run: CIFAR-10 from Grad.Datasets, batches from Grad.Data, and Grad.Training's
/// <see cref="Trainer{TModel}"/> (forward, cross-entropy, generated backward, Adam) each step;
/// every <see cref="TrainerOptions.EvalFrequency"/> steps an evaluation on the test images and a save.</summary>
public static class Training
{
    private const int Classes = 10;

    public static int Run(TrainerOptions options)
    {
        var run = new RunFolder(options.Output);
        var source = Cifar10.LocateOrDownloadAsync(options.Data).GetAwaiter().GetResult();
        // Each colour channel standardised with the training images' mean and deviation.
        var data = Cifar10.Load(source, new Cifar10Options { Normalization = Normalization.PerChannel });
        Console.WriteLine($"CIFAR-10 from {source}: {data.Train.Count} training and {data.Test.Count} test images");
        run.SaveConfig(options);

        var batches = new BatchIterator(data.Train, options.BatchSize, new BatchOptions { Seed = options.Seed, DropLast = true, Flatten = true });
        var schedule = new OneCycleSchedule(options.LearningRate, options.MaxSteps);
        using var trainer = new Trainer<Sequential>(Network(data.Train.ImageSize, options), new Adam(), new CrossEntropyLoss());
        var clock = Stopwatch.StartNew();
        double windowLoss = 0;
        int windowCorrect = 0, windowImages = 0, windowSteps = 0;
        for (int epoch = 0; trainer.State.Step < options.MaxSteps; epoch++)
        {
            foreach (var batch in batches.Epoch(epoch))
            {
                using (batch)
                {
                    var step = trainer.Step(batch.Images, batch.Labels, schedule.At(trainer.State.Step));
                    using var logits = step.Output;
                    if (!step.Updated)
                        throw new ArgumentException($"the training loss became {step.Loss} at step {trainer.State.Step + 1}; try a smaller --learning_rate.");
                    windowLoss += step.Loss;
                    windowCorrect += Classification.Correct(logits, batch.Labels);
                    windowImages += batch.Count;
                    windowSteps++;
                }
                long done = trainer.State.Step;
                if (done % options.EvalFrequency == 0 || done == options.MaxSteps)
                {
                    var (testLoss, testAccuracy) = Evaluation.Score(trainer.Model, data.Test, options.EvalImages);
                    var point = new MetricsPoint(done, windowLoss / windowSteps, (double)windowCorrect / windowImages, testLoss, testAccuracy, clock.Elapsed.TotalSeconds);
                    run.Save(trainer.Model, trainer.State, point, options);
                    Console.WriteLine($"step {done}/{options.MaxSteps}: train loss {point.TrainLoss:F3}, test loss {testLoss:F3}, test accuracy {testAccuracy:P1}");
                    (windowLoss, windowCorrect, windowImages, windowSteps) = (0, 0, 0, 0);
                }
                if (done == options.MaxSteps) break;
            }
        }
        Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F0} s; files in {run.Path}");
        return 0;
    }

    /// <summary>An MLP on flattened images: ImageSize → hidden → 10, ReLU between, PyTorch's default initialisation.</summary>
    private static Sequential Network(int inputs, TrainerOptions options) => new(
        Linear.Create(inputs, options.HiddenUnits, options.Seed),
        new ReLU(),
        Linear.Create(options.HiddenUnits, Classes, options.Seed + 2));
}
