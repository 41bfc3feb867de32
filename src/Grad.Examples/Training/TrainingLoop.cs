using System.Diagnostics;
using Grad.Data;
using Grad.Datasets;
using Grad.Examples.Models;
using Grad.Layers;
using Grad.OpenCL;
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

    /// <summary>A loss more than this many times the lowest so far (or than chance, ln 10, at the
    /// start) has exploded: the weights are no longer worth keeping.</summary>
    public const double ExplodingFactor = 10;

    private double _bestTrainLoss = Math.Log(10), _bestTestLoss = Math.Log(10);

    /// <summary>The step of the checkpoint on disk that training may fall back on: the last one
    /// saved with healthy losses, or the resumed one; null when none is.</summary>
    private long? _kept;

    /// <summary>True when the run stopped on request (a signal) before its last step.</summary>
    public bool Stopped { get; private set; }

    private string PlotTitle => config.Ema > 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{config.Model} (weights averaged, decay {config.Ema})")
        : config.Model;

    /// <summary>Trains from the trainer's step (0, or a resumed run's) to the configured last one.
    /// A device that fails ends the run with a <see cref="DeviceFailedException"/>.</summary>
    public void Run(Trainer<Sequential> trainer, CancellationToken cancellation)
    {
        try
        {
            Train(trainer, cancellation);
        }
        catch (OpenCLException e)
        {
            throw new DeviceFailedException(e, _kept, run);
        }
    }

    private void Train(Trainer<Sequential> trainer, CancellationToken cancellation)
    {
        using var batches = new BatchIterator(data.Train, config.BatchSize, new BatchOptions
        {
            Seed = config.Seed,
            DropLast = true,
            Flatten = _flatten,
            Augmentation = config.Augment ? Augmentation.Standard : null,
            // On a device, the training set is uploaded once and batches are cut out there.
            OnDevice = !ReferenceEquals(Device.Default, Device.Cpu),
        });
        var clock = Stopwatch.StartNew();
        var sinceSave = Stopwatch.StartNew();
        double wallOffset = metrics.Points.Count > 0 ? metrics.Points[^1].WallSeconds : 0;
        double windowLoss = 0;
        int windowSteps = 0, windowExamples = 0;
        // The window's correct predictions, added up on the device and read at evaluations only.
        using var windowCorrect = new DeviceCounter();
        var (epoch, index) = batches.PositionOf(trainer.State.Step);
        _kept = trainer.State.Step > 0 ? trainer.State.Step : null;
        foreach (var p in metrics.Points)
        {
            Healthy(p.TrainLoss, ref _bestTrainLoss);
            Healthy(p.TestLoss, ref _bestTestLoss);
        }

        while (StepOf(trainer) < config.MaxSteps)
        {
            foreach (var batch in batches.Epoch(epoch, index))
            {
                using (batch)
                {
                    var stepClock = Stopwatch.StartNew();
                    double loss = Step(trainer, batch, _kept, windowCorrect);
                    windowLoss += loss;
                    windowSteps++;
                    windowExamples += batch.Count;
                    StepTime += stepClock.Elapsed;
                    StepsRun++;
                    view.Step(StepOf(trainer), config.MaxSteps, loss, batch.Count / stepClock.Elapsed.TotalSeconds);
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
                    var point = new EvalPoint(step, windowLoss / windowSteps, windowCorrect.Read() / windowExamples, testLoss, testAccuracy,
                        wallOffset + clock.Elapsed.TotalSeconds, validationLoss, validationAccuracy);
                    metrics.Add(point);
                    view.Evaluated(point);
                    // Both checked (no short circuit), so each best stays up to date.
                    if (!(Healthy(point.TrainLoss, ref _bestTrainLoss) & Healthy(point.TestLoss, ref _bestTestLoss)))
                        throw new NonFiniteLossException(step, point.TrainLoss, _kept, run.Checkpoint, exploded: point.TestLoss);
                    if (last && !ReferenceEquals(evaluated, trainer.Model)) ReportLastWeights(trainer.Model);
                    run.Save(trainer.Model, evaluated, trainer.State, step, config);
                    _kept = step;
                    sinceSave.Restart();
                    Plots.Save(metrics.Points, run.Path, PlotTitle);
                    (windowLoss, windowSteps, windowExamples) = (0, 0, 0);
                    windowCorrect.Reset();
                }
                else if (stop || (config.CheckpointEvery > 0 && step % config.CheckpointEvery == 0)
                         || (config.CheckpointMinutes > 0 && sinceSave.Elapsed.TotalMinutes >= config.CheckpointMinutes))
                {
                    // Between evaluations: the checkpoint alone, without evaluating (a stop must be
                    // quick), unless the training loss since the last evaluation has exploded.
                    double best = _bestTrainLoss;
                    if (windowSteps == 0 || Healthy(windowLoss / windowSteps, ref best))
                    {
                        run.Save(trainer.Model, WeightAveraging.Averaged(trainer.Model, trainer.State), trainer.State, step, config);
                        _kept = step;
                        sinceSave.Restart();
                    }
                    else if (stop)
                    {
                        view.Note($"not saving step {step}: its training loss {windowLoss / windowSteps:G3} has exploded; {NonFiniteLossException.Kept(_kept, run.Checkpoint)}");
                    }
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

    /// <summary>A loss that is finite and within <see cref="ExplodingFactor"/> of the best so far (which it updates).</summary>
    private static bool Healthy(double loss, ref double best)
    {
        if (!double.IsFinite(loss) || loss > ExplodingFactor * best) return false;
        best = Math.Min(best, loss);
        return true;
    }

    /// <summary>One optimisation step; returns the batch's loss and adds its correct predictions to <paramref name="correct"/>.</summary>
    private double Step(Trainer<Sequential> trainer, Batch batch, long? kept, DeviceCounter correct)
    {
        var result = trainer.Step(batch.Images, batch.Labels, schedule.At(trainer.State.Step));
        using var logits = result.Output;
        if (!result.Updated) throw new NonFiniteLossException(StepOf(trainer) + 1, result.Loss, kept, run.Checkpoint);
        correct.Add(Classification.CorrectCount(logits, batch.Labels));
        return result.Loss;
    }
}

/// <summary>The loss stopped being a number, or exploded: the run ends, and the message says
/// exactly which checkpoint is kept, or that none is.</summary>
/// <param name="exploded">For a loss that exploded at an evaluation: the test loss beside the training loss.</param>
public sealed class NonFiniteLossException(int step, double loss, long? kept, string checkpoint, double? exploded = null)
    : Exception((exploded is { } testLoss
        ? $"The loss exploded at step {step} (training loss {loss:G4}, test loss {testLoss:G4}: not finite, or more than {TrainingLoop.ExplodingFactor}× the lowest so far); the run stopped, and that step was not saved. "
        : $"The training loss became {loss} at step {step}; the run stopped. ") + Kept(kept, checkpoint) + " Try a smaller --learning_rate.")
{
    public int Step { get; } = step;

    /// <summary>What a diverged run leaves to fall back on.</summary>
    public static string Kept(long? step, string checkpoint) => step is { } s
        ? $"The checkpoint kept is from step {s}, the last with a finite, non-exploding loss ({checkpoint})."
        : "No checkpoint was kept: the run diverged before any step with a finite, non-exploding loss was saved.";
}
