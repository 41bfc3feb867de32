using System.Diagnostics;
using Grad.Data;
using Grad.Datasets;
using Grad.Examples.Models;
using Grad.Layers;
using Grad.Optim;
using Grad.Training;

namespace Grad.Examples.Training;

/// <summary>
/// The training loop: the library's <see cref="Trainer{TModel}"/> steps (forward, softmax
/// cross-entropy, generated backward, optimiser update) on seeded batches; evaluation, metrics,
/// plots and an atomic checkpoint every <c>EvalFrequency</c> steps. What is evaluated and saved
/// as the model is the weights' moving average when the run keeps one. Batches come from
/// (seed, step) alone, so a resumed run continues exactly where it stopped. A NaN or infinite
/// loss stops the run with its step number and keeps the last good checkpoint.
/// </summary>
public sealed class TrainingLoop(TrainConfig config, Cifar10Data data, LearningRateSchedule schedule,
    RunFolder run, MetricsLog metrics, ProgressView view)
{
    private readonly bool _flatten = config.Model != "convnet";

    /// <summary>Time spent in training steps (data, forward, backward, update), without evaluation.</summary>
    public TimeSpan StepTime { get; private set; }

    public int StepsRun { get; private set; }

    /// <summary>True when the run stopped on request (a signal) before its last step.</summary>
    public bool Stopped { get; private set; }

    private string PlotTitle => config.Ema > 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{config.Model} (weights averaged, decay {config.Ema})")
        : config.Model;

    /// <summary>Trains from the trainer's step (0, or a resumed run's) to the configured last one.</summary>
    public void Run(Trainer<Sequential> trainer, CancellationToken cancellation)
    {
        var batches = new BatchIterator(data.Train, config.BatchSize, new BatchOptions
        {
            Seed = config.Seed,
            DropLast = true,
            Flatten = _flatten,
            Augmentation = config.Augment ? Augmentation.Standard : null,
        });
        var clock = Stopwatch.StartNew();
        double wallOffset = metrics.Points.Count > 0 ? metrics.Points[^1].WallSeconds : 0;
        double windowLoss = 0, windowCorrect = 0;
        int windowSteps = 0, windowExamples = 0;
        var (epoch, index) = batches.PositionOf(trainer.State.Step);

        while (StepOf(trainer) < config.MaxSteps)
        {
            foreach (var batch in batches.Epoch(epoch, index))
            {
                using (batch)
                {
                    var stepClock = Stopwatch.StartNew();
                    var (loss, correct) = Step(trainer, batch);
                    windowLoss += loss;
                    windowCorrect += correct;
                    windowSteps++;
                    windowExamples += batch.Count;
                    StepTime += stepClock.Elapsed;
                    StepsRun++;
                    view.Step(StepOf(trainer), config.MaxSteps, loss, (double)correct / batch.Count, batch.Count / stepClock.Elapsed.TotalSeconds);
                }
                int step = StepOf(trainer);
                bool last = step == config.MaxSteps;
                bool stop = cancellation.IsCancellationRequested; // read once: a signal may arrive at any moment
                if (step % config.EvalFrequency == 0 || last)
                {
                    var evaluated = WeightAveraging.Averaged(trainer.Model, trainer.State);
                    var (testLoss, testAccuracy) = Evaluator.Evaluate(evaluated, data.Test, _flatten);
                    var (validationLoss, validationAccuracy) = data.Validation is { } validation
                        ? Evaluator.Evaluate(evaluated, validation, _flatten)
                        : (double.NaN, double.NaN);
                    var point = new EvalPoint(step, windowLoss / windowSteps, windowCorrect / windowExamples, testLoss, testAccuracy,
                        wallOffset + clock.Elapsed.TotalSeconds, validationLoss, validationAccuracy);
                    metrics.Add(point);
                    view.Evaluated(point);
                    if (last && !ReferenceEquals(evaluated, trainer.Model)) ReportLastWeights(trainer.Model);
                    run.Save(trainer.Model, evaluated, trainer.State, step, config);
                    Plots.Save(metrics.Points, run.Path, PlotTitle);
                    (windowLoss, windowCorrect, windowSteps, windowExamples) = (0, 0, 0, 0);
                }
                else if (stop || (config.CheckpointEvery > 0 && step % config.CheckpointEvery == 0))
                {
                    // Between evaluations: the checkpoint alone, without evaluating (a stop must be quick).
                    run.Save(trainer.Model, WeightAveraging.Averaged(trainer.Model, trainer.State), trainer.State, step, config);
                }
                if (stop && !last)
                {
                    Stopped = true;
                    metrics.Write();
                    view.Note($"stopped at step {step}; the checkpoint and metrics so far are in {run.Path}; continue with --resume {run.Path}");
                }
                if (last || stop) return;
            }
            (epoch, index) = (epoch + 1, 0);
        }
    }

    /// <summary>The steps taken so far, a resumed run's included: the optimiser counts them.</summary>
    public static int StepOf(Trainer<Sequential> trainer) => checked((int)trainer.State.Step);

    /// <summary>With averaging, the last weights' figure beside the average's, so a run shows what the averaging gave.</summary>
    private void ReportLastWeights(Sequential model)
    {
        var (_, accuracy) = Evaluator.Evaluate(model, data.Test, _flatten);
        metrics.SetLastWeightsTestAccuracy(accuracy);
        view.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"test accuracy of the last weights, without averaging: {accuracy:P2}"));
    }

    /// <summary>One optimisation step; returns the batch's loss and number of correct predictions.</summary>
    private (double Loss, int Correct) Step(Trainer<Sequential> trainer, Batch batch)
    {
        var result = trainer.Step(batch.Images, batch.Labels, schedule.At(trainer.State.Step));
        using var logits = result.Output;
        if (!result.Updated) throw new NonFiniteLossException(StepOf(trainer) + 1, result.Loss);
        return (result.Loss, Classification.Correct(logits, batch.Labels));
    }
}

/// <summary>The loss stopped being a number: the run ends, the last checkpoint stays.</summary>
public sealed class NonFiniteLossException(int step, double loss)
    : Exception($"The training loss became {loss} at step {step}; the run stopped, and the last checkpoint (from the last evaluation) is kept. Try a smaller --learning_rate.")
{
    public int Step { get; } = step;
}
