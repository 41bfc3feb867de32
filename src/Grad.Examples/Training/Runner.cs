using System.Diagnostics;
using Grad.Cpu;
using Grad.Datasets;
using Grad.Examples.Models;
using Grad.Layers;
using Grad.OpenCL;
using Grad.Optim;
using Grad.Serialization;
using Grad.Training;

namespace Grad.Examples.Training;

/// <summary>Sets a run up from its configuration (or from the run it resumes), trains, and
/// reports; returns the process exit code.</summary>
public static class Runner
{
    public static int Train(TrainConfig requested, CancellationToken cancellation) =>
        Guard(() => TrainCore(requested, new ProgressView(), cancellation));

    /// <summary>Runs a command, turning the errors a user can fix (bad flags, missing or corrupt
    /// data, a diverged run) into one line on stderr and an exit code instead of a stack trace.</summary>
    public static int Guard(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e) when (e is OpenCLException or DeviceFailedException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 4;
        }
        catch (Exception e) when (e is DatasetUnavailableException or InvalidDataException or FileNotFoundException or ArgumentException
                                      or NonFiniteLossException or NotSupportedException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return e is NonFiniteLossException ? 3 : 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("stopped before training began; nothing to save.");
            return 130;
        }
    }

    private static int TrainCore(TrainConfig requested, ProgressView view, CancellationToken cancellation)
    {
        if (requested.Resume is null) ConfigChecks.Validate(requested);
        var (config, resumeFrom) = Resolve(requested);
        CpuBackend.Threads = config.Threads;
        var (backend, note) = DeviceSelection.Choose(config.Device);
        if (note is not null) view.Note(note);
        Device.Default = backend;
        var optimizer = Optimizer(config); // checks the optimiser's flags before the data is read
        var schedule = Schedule(config);
        string? created = resumeFrom is null ? ConfigChecks.CheckNewRunFolder(config.Output, config.Overwrite) : null;
        var run = new RunFolder(config.Output);
        run.RemoveTemporaries();
        try
        {
            run.SaveConfig(config);
            return TrainIn(config, resumeFrom, run, optimizer, schedule, view, cancellation);
        }
        catch when (created is not null && run.HoldsOnlyConfig())
        {
            // Nothing was trained or saved: leave no folder behind (a retry with the same --out starts clean).
            try { Directory.Delete(created, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static int TrainIn(TrainConfig config, RunFolder? resumeFrom, RunFolder run, IOptimizer optimizer, LearningRateSchedule schedule,
        ProgressView view, CancellationToken cancellation)
    {

        var source = Cifar10.LocateOrDownloadAsync(config.Data, new Progress<(long Bytes, long? Total)>(p =>
            view.Note($"downloading CIFAR-10: {p.Bytes / 1e6:F1} MB{(p.Total is { } t ? $" of {t / 1e6:F1} MB" : "")}")), cancellationToken: cancellation)
            .GetAwaiter().GetResult();
        var loading = Stopwatch.StartNew();
        var data = Cifar10.Load(source, new Cifar10Options
        {
            Normalization = config.Standardize ? Normalization.PerChannel : Normalization.MeanImage,
            ValidationSize = config.ValidationSize,
            RecordsPerFile = config.RecordsPerFile ?? Cifar10Layout.RecordsPerFile,
        });
        string held = data.Validation is { } validation ? $", {validation.Count} held out for validation" : "";
        view.Note($"CIFAR-10 from {source}: {data.Train.Count} training{held} and {data.Test.Count} test images ({loading.Elapsed.TotalSeconds:F1} s)");

        using var trainer = Start(config, optimizer, resumeFrom);
        var metrics = new MetricsLog(run.Path);
        if (resumeFrom is not null)
        {
            metrics.Restore(MetricsLog.Read(resumeFrom.Path), TrainingLoop.StepOf(trainer));
            view.Note($"resuming {resumeFrom.Path} from {resumeFrom.ResumeFrom} at step {trainer.State.Step}");
        }

        var clock = Stopwatch.StartNew();
        TrainingLoop? loop = null;
        view.Run($"{config.Model} → {run.Path}", TrainingLoop.StepOf(trainer), config.MaxSteps, v =>
        {
            loop = new TrainingLoop(config, data, schedule, run, metrics, v);
            loop.Run(trainer, cancellation);
        });

        double msPerStep = loop!.StepTime.TotalMilliseconds / Math.Max(1, loop.StepsRun);
        var final = metrics.Points.Count > 0 ? metrics.Points[^1] : null;
        view.Note($"done: {trainer.State.Step} steps in {clock.Elapsed.TotalSeconds:F0} s, final test accuracy {final?.TestAccuracy:P2}; " +
            $"{msPerStep:F1} ms per training step on average (evaluation excluded); files in {run.Path}");
        return loop.Stopped ? 130 : 0;
    }

    /// <summary>The trainer of a new run, or of the run it resumes from that run's checkpoint.</summary>
    private static Trainer<Sequential> Start(TrainConfig config, IOptimizer optimizer, RunFolder? resumeFrom)
    {
        var model = Build(config);
        if (resumeFrom is null) return new Trainer<Sequential>(model, optimizer, new CrossEntropyLoss());
        var checkpoint = Checkpoint.Load(resumeFrom.ResumeFrom, model);
        foreach (var t in model.Parameters().Concat(model.States())) t.Value.Dispose();
        CheckResumable(config, checkpoint, resumeFrom.ResumeFrom);
        return new Trainer<Sequential>(checkpoint.Model, optimizer, new CrossEntropyLoss(), checkpoint.Optimizer);
    }

    /// <summary>A checkpoint the run can continue from: a step count the loop can hold, below the
    /// run's last step, and every tensor of the optimiser's state that the next step needs.</summary>
    private static void CheckResumable(TrainConfig config, Checkpoint<Sequential> checkpoint, string path)
    {
        long step = checkpoint.Optimizer.Step;
        if (step > int.MaxValue)
            throw new InvalidDataException($"Checkpoint '{path}': its '{Checkpoint.StepKey}' is {step}, more steps than a run can take ({int.MaxValue}).");
        if (step >= config.MaxSteps)
            throw new ArgumentException($"--resume: the checkpoint is at step {step}, and the run ends at step {config.MaxSteps}; give a larger --max_steps to continue it.");
        if (step == 0) return;
        var slots = new List<string>();
        if (config.Optimizer == "adam") slots.AddRange([Adam.FirstMomentSlot, Adam.SecondMomentSlot]);
        else if (config.Momentum > 0) slots.Add(Sgd.VelocitySlot);
        if (config.Ema > 0) slots.Add(WeightAveraging.AverageSlot);
        var missing = checkpoint.Model.Parameters()
            .SelectMany(p => slots.Select(slot => OptimizerState.Key(slot, p.Name)))
            .Where(key => !checkpoint.Optimizer.Tensors.ContainsKey(key))
            .Select(key => $"  the optimizer needs tensor '{Checkpoint.OptimizerPrefix}{key}' but the checkpoint has none")
            .ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"Checkpoint '{path}' lacks the optimizer's state at step {step}:\n{string.Join("\n", missing.Take(10))}" +
                (missing.Count > 10 ? $"\n  … and {missing.Count - 10} more" : ""));
    }

    /// <summary>A resumed run takes its settings from its own config.json.</summary>
    private static (TrainConfig Config, RunFolder? ResumeFrom) Resolve(TrainConfig requested)
    {
        if (requested.Resume is null) return (requested, null);
        var from = RunFolder.Of(requested.Resume);
        var saved = ConfigChecks.Read(from.Config);
        if (saved.Model != requested.Model)
            throw new ArgumentException($"--resume: {from.Path} is a '{saved.Model}' run, not '{requested.Model}'.");
        var config = ConfigChecks.Resumed(saved, requested, from.Path);
        ConfigChecks.Validate(config);
        return (config, from);
    }

    public static Sequential Build(TrainConfig config) => config.Model switch
    {
        "mlp-numpy" => ModelFactory.NumpyMlp(config.Seed),
        "mlp" => ModelFactory.Mlp(config.HiddenUnits, config.Seed),
        "convnet" => ModelFactory.ConvNet(config.Seed),
        _ => throw new ArgumentException($"unknown model '{config.Model}'."),
    };

    private static IOptimizer Optimizer(TrainConfig config)
    {
        IOptimizer optimizer = config.Optimizer switch
        {
            "sgd" => new Sgd(config.Momentum, config.WeightDecay),
            "adam" => new Adam(WeightDecay: config.WeightDecay),
            _ => throw new ArgumentException($"--optimizer: '{config.Optimizer}' is not sgd or adam."),
        };
        if (!(config.Ema >= 0 && config.Ema < 1)) throw new ArgumentException($"--ema: the decay must lie in [0, 1), got {config.Ema}.");
        return config.Ema > 0 ? new WeightAveraging(optimizer, config.Ema) : optimizer;
    }

    private static LearningRateSchedule Schedule(TrainConfig config) => config.LearningRateSchedule switch
    {
        "constant" => new ConstantSchedule(config.LearningRate, config.WarmupSteps),
        "cosine" => new CosineSchedule(config.LearningRate, config.MaxSteps, config.WarmupSteps),
        "onecycle" => new OneCycleSchedule(config.LearningRate, config.MaxSteps, warmupSteps: config.WarmupSteps),
        _ => throw new ArgumentException($"--lr_schedule: '{config.LearningRateSchedule}' is not constant, cosine or onecycle."),
    };
}
