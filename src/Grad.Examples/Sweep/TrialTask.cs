using System.CommandLine;
using System.Globalization;
using Grad.Examples.Cli;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// <c>grad sweep task DIR ID</c>: trains one trial of a sweep in this process, as a Slurm array
/// task or a local executor's child. A trial with a result is not trained again; one with a
/// checkpoint continues from it (<c>--resume</c>); each attempt is recorded in attempts.jsonl,
/// and a finished trial's result.json is written once. Stopped by SIGUSR1 under Slurm (the
/// warning before the time limit), it requeues its own job after saving the checkpoint. With
/// successive halving (<see cref="Asha"/>), a trial trains from rung to rung; at a rung where it is
/// not among the best it stays there (its checkpoint saved) and is recorded as pruned.
/// </summary>
public static class TrialTask
{
    public static int Run(SweepFolder sweep, int id, int threads, Asha? asha = null)
    {
        var manifest = Manifest.Read(sweep.Manifest);
        if (id < 0 || id >= manifest.Trials.Count)
            throw new ArgumentException($"trial {id} is not in {sweep.Manifest}: its trials are 0 to {manifest.Trials.Count - 1}.");
        var trial = sweep.Trial(id);
        Directory.CreateDirectory(trial.Path);
        using var held = TakeLock(trial);
        if (held is null)
        {
            Console.Error.WriteLine($"trial {id} is being trained by another process (its lock {trial.Lock} is held); nothing to do.");
            return 0;
        }
        if (TrialResult.Read(trial.Result) is not null)
        {
            Console.Error.WriteLine($"trial {id} has finished already ({trial.Result}); nothing to do.");
            return 0;
        }
        string[] common = [.. manifest.Arguments(manifest.Trials[id]), "--out", trial.Path, "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        int maxSteps = Trainer(manifest.Trainer).Parse(common).GetValue<int>("--max_steps");
        if (ReachedLastStep(trial, maxSteps)) return Finish(id, trial);

        var attempts = new AttemptLog(trial.Attempts);
        string? job = Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { } jobId
            ? $"{Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID")}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")} (job {jobId}, restart {Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT") ?? "0"})"
            : null;
        attempts.Start(job);
        while (true)
        {
            // With successive halving the trial trains to its next rung and stops there, so every
            // decision is taken at the rung itself (a trial watched while it ran on overshot it).
            int end = asha?.Rungs(maxSteps).Where(r => r > StepsDone(trial)).Cast<int?>().FirstOrDefault() ?? maxSteps;
            string[] arguments =
            [
                .. WithMaxSteps(common, end),
                .. File.Exists(trial.Checkpoint) ? ["--resume", trial.Path] : new[] { "--overwrite" },
            ];
            Console.Error.WriteLine($"trial {id}: grad {manifest.Trainer} {string.Join(" ", arguments)}");
            int code = Trainer(manifest.Trainer).Parse(arguments).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).GetAwaiter().GetResult();
            if (code == 0 && end < maxSteps)
            {
                if (asha!.Promotable(id, Asha.AtRung(sweep, manifest, end))) continue;
                attempts.End(code, Attempt.Pruned);
                Console.Error.WriteLine($"trial {id} pruned at step {end}: not among the best 1/{asha.Eta} of the trials that reached it so far.");
                return 0;
            }
            if (code == 0)
            {
                attempts.End(code, Attempt.Finished);
                return Finish(id, trial);
            }
            if (code is 130 or 143 or StopSignals.UserSignalExitCode)
            {
                bool requeue = code == StopSignals.UserSignalExitCode && Environment.GetEnvironmentVariable("SLURM_JOB_ID") is not null;
                attempts.End(code, requeue ? Attempt.Requeued : Attempt.Stopped);
                return requeue ? Requeue(id) : code;
            }
            attempts.End(code, Attempt.Failed);
            return code;
        }
    }

    /// <summary>The last step the trial evaluated, 0 before its first evaluation.</summary>
    private static int StepsDone(TrialFolder trial) => MetricsLog.Read(trial.Path).Select(p => p.Step).DefaultIfEmpty(0).Max();

    /// <summary>The trainer's arguments with <c>--max_steps</c> set to <paramref name="steps"/>.</summary>
    private static string[] WithMaxSteps(string[] arguments, int steps)
    {
        string value = steps.ToString(CultureInfo.InvariantCulture);
        int at = Array.IndexOf(arguments, "--max_steps");
        if (at < 0 || at + 1 >= arguments.Length) return [.. arguments, "--max_steps", value];
        var copy = arguments.ToArray();
        copy[at + 1] = value;
        return copy;
    }

    /// <summary>The trial's lock, waiting a few seconds for it: a status probe (<see cref="FolderLock.IsHeld"/>)
    /// holds it for an instant, a process training the trial for as long as it trains.</summary>
    private static FolderLock? TakeLock(TrialFolder trial)
    {
        for (int attempt = 0; ; attempt++)
        {
            var held = FolderLock.TryTake(trial.Lock);
            if (held is not null || attempt == 50) return held;
            Thread.Sleep(100);
        }
    }

    /// <summary>The trainer's command, parsed and run here as <c>grad TRAINER …</c> would be.</summary>
    public static Command Trainer(string name) => name switch
    {
        "mlp-numpy" => TrainingCommands.MlpNumpy(),
        "mlp" => TrainingCommands.Mlp(),
        "convnet" => TrainingCommands.ConvNet(),
        _ => throw new ArgumentException($"unknown trainer '{name}'; use {string.Join(", ", SweepSpec.Trainers)}."),
    };

    /// <summary>The run saved its last step, but the process ended before the result was written.
    /// The last step is the manifest's, not the run folder's: a trial paused at a rung has that
    /// rung as its run's last step.</summary>
    private static bool ReachedLastStep(TrialFolder trial, int maxSteps)
    {
        if (!File.Exists(trial.Checkpoint)) return false;
        var points = MetricsLog.Read(trial.Path);
        return points.Count > 0 && points[^1].Step >= maxSteps;
    }

    private static int Finish(int id, TrialFolder trial)
    {
        var points = MetricsLog.Read(trial.Path);
        if (points.Count == 0) throw new InvalidDataException($"trial {id} ended without metrics ({trial.Metrics}); its run folder is incomplete.");
        TrialResult.From(id, points).WriteOnce(trial.Result);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial {id} finished: final test accuracy {points[^1].TestAccuracy:P2}"));
        return 0;
    }

    /// <summary>Puts this job back in the queue: Slurm ends it now and runs it again later, when it
    /// continues from the checkpoint just saved.</summary>
    private static int Requeue(int id)
    {
        string job = Environment.GetEnvironmentVariable("SLURM_JOB_ID")!;
        Console.Error.WriteLine($"trial {id}: checkpoint saved; requeueing job {job}");
        Console.Error.Flush();
        SlurmCommand.Run("scontrol", ["requeue", job]);
        return 0;
    }
}
