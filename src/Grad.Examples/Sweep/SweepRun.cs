using System.Globalization;

namespace Grad.Examples.Sweep;

/// <summary>How <c>grad sweep</c> runs: where, with what, how often a failed trial is tried again.</summary>
/// <param name="Asha">Successive halving (<c>--prune asha</c>), or null: every trial trains to its last step.</param>
public sealed record SweepSettings(string Executor, int Parallel, int Threads, int Retries, SlurmOptions Slurm, string? GradBinary, bool Wait,
    Asha? Asha = null, double PollSeconds = 1);

/// <summary>
/// <c>grad sweep SPEC</c>: expands the sweep file into its trials (or takes them from an existing
/// sweep folder's manifest), holds the folder's lock, decides which trials need training
/// (<see cref="TrialStatus.NeedsRun"/>), and runs them locally or submits them to Slurm. Run again
/// on the same folder, it trains only what is unfinished.
/// </summary>
public static class SweepRun
{
    public static int Run(string spec, string? output, SweepSettings settings)
    {
        var (sweep, manifest) = Prepare(spec, output);
        using var held = FolderLock.TryTake(sweep.Lock)
            ?? throw new IOException($"another `grad sweep` is working on {sweep.Path} (it holds {sweep.Lock}); wait for it to end, or see `grad sweep status {sweep.Path}`.");
        if (File.Exists(sweep.Manifest))
        {
            var existing = Manifest.Read(sweep.Manifest);
            if (!existing.SameSweep(manifest))
                throw new ArgumentException($"{sweep.Path} holds another sweep (its manifest.json lists other trials or flags than {spec}); give another --out.");
        }
        else
        {
            CheckArguments(manifest);
            Directory.CreateDirectory(sweep.Path);
            manifest.Write(sweep.Manifest);
        }
        if (settings.Asha is { } asha) CheckRungs(manifest, asha);

        var grad = GradProgram.Command(settings.GradBinary);
        var states = SweepState.Read(sweep, manifest);
        var todo = states.Where(s => s.NeedsRun(settings.Retries)).Select(s => s.Trial).Concat(Promoted(sweep, manifest, states, settings.Asha)).ToList();
        Console.Error.WriteLine($"sweep {sweep.Path}: {manifest.Trials.Count} trials; {Counts(states)}; {todo.Count} to run");
        if (todo.Count == 0)
        {
            Console.Error.WriteLine("nothing to run: every trial has finished, is queued or running, or has failed more than --retries allows.");
            return Report(sweep, manifest, states);
        }
        // With successive halving, trials paused at a rung may become promotable as others reach it:
        // run again until none is (each round takes every promoted trial at least one rung further).
        int rounds = settings.Asha is { } halving ? manifest.Trials.Max(t => halving.Rungs(MaxSteps(manifest, t)).Count()) + 1 : 1;
        for (int round = 0; round < rounds && todo.Count > 0; round++)
        {
            if (settings.Executor == "slurm")
            {
                var submission = new SlurmExecutor(settings.Slurm, grad, settings.Asha).Submit(sweep, manifest, todo);
                Console.Error.WriteLine($"submitted array job {submission.Job} (tasks {SlurmOutput.ArraySpec(submission.Trials)}), script {sweep.SbatchScript}");
                if (!settings.Wait)
                {
                    Console.Error.WriteLine($"follow it with `grad sweep status {sweep.Path}`; `grad sweep collect {sweep.Path}` writes the table and plots.");
                    return 0;
                }
                states = WaitForQueue(sweep, manifest, settings.PollSeconds);
            }
            else
            {
                var progress = new SweepProgress(todo.ToDictionary(t => t.Id, t => (string.Join(" ", t.Arguments()), MaxSteps(manifest, t))));
                new LocalExecutor(settings.Parallel, settings.Threads, grad, progress, settings.Asha).Execute(sweep, todo);
                states = SweepState.Read(sweep, manifest);
            }
            todo = Promoted(sweep, manifest, states, settings.Asha).ToList();
        }
        return Report(sweep, manifest, states);
    }

    /// <summary>Pruned trials that are now among the best at the rung where they stopped.</summary>
    private static IEnumerable<Trial> Promoted(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> states, Asha? asha)
    {
        if (asha is null) yield break;
        foreach (var s in states.Where(s => s.State == TrialState.Pruned))
            if (asha.LastRung(s.Points, MaxSteps(manifest, s.Trial)) is { } rung && asha.Promotable(s.Trial.Id, Asha.AtRung(sweep, manifest, rung)))
                yield return s.Trial;
    }

    /// <summary>Every rung must be an evaluation step of every trial: decisions compare test accuracies there.</summary>
    private static void CheckRungs(Manifest manifest, Asha asha)
    {
        if (asha.FirstRung < 1 || asha.Eta < 2) throw new ArgumentException($"--rung-steps must be at least 1 and --eta at least 2, got {asha.FirstRung} and {asha.Eta}.");
        foreach (var trial in manifest.Trials)
        {
            int every = Setting<int>(manifest, trial, "--eval_freq");
            if (asha.FirstRung % every != 0)
                throw new ArgumentException($"--rung-steps {asha.FirstRung} is not a multiple of trial {trial.Id}'s --eval_freq {every}: decisions need an evaluation at every rung.");
        }
    }

    /// <summary>The sweep folder and its trials: from a sweep file (folder: --out, else sweeps/NAME), or an existing folder's manifest.</summary>
    private static (SweepFolder, Manifest) Prepare(string spec, string? output)
    {
        if (Directory.Exists(spec))
        {
            var existing = SweepFolder.Existing(spec);
            if (output is not null && Path.GetFullPath(output) != existing.Path)
                throw new ArgumentException($"--out: {spec} is a sweep folder already; continue it without --out.");
            return (existing, Manifest.Read(existing.Manifest));
        }
        var manifest = Manifest.Of(SweepSpec.Load(spec));
        return (new SweepFolder(output ?? Path.Combine("sweeps", Path.GetFileNameWithoutExtension(spec))), manifest);
    }

    /// <summary>Every trial's flags must parse before anything is written or submitted.</summary>
    private static void CheckArguments(Manifest manifest)
    {
        var problems = manifest.Trials
            .Select(t => (t.Id, Errors: TrialTask.Trainer(manifest.Trainer).Parse([.. manifest.Arguments(t), "--out", "x"]).Errors))
            .Where(t => t.Errors.Count > 0)
            .Select(t => $"trial {t.Id}: {string.Join("; ", t.Errors.Select(e => e.Message))}")
            .ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"the sweep's flags are not `grad {manifest.Trainer}`'s:\n  {string.Join("\n  ", problems.Take(5))}");
    }

    public static int MaxSteps(Manifest manifest, Trial trial) => Setting<int>(manifest, trial, "--max_steps");

    /// <summary>A trainer setting of a trial: its flag's value, or the trainer's default.</summary>
    private static T Setting<T>(Manifest manifest, Trial trial, string flag) =>
        TrialTask.Trainer(manifest.Trainer).Parse([.. manifest.Arguments(trial), "--out", "x"]).GetValue<T>(flag)!;

    /// <summary>Polls until no trial is queued or running; prints each change of the counts.</summary>
    private static IReadOnlyList<TrialStatus> WaitForQueue(SweepFolder sweep, Manifest manifest, double pollSeconds)
    {
        string last = "";
        while (true)
        {
            var states = SweepState.Read(sweep, manifest);
            string counts = Counts(states);
            if (counts != last) Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {counts}");
            last = counts;
            if (!states.Any(s => s.State is TrialState.Queued or TrialState.Running)) return states;
            Thread.Sleep(TimeSpan.FromSeconds(pollSeconds));
        }
    }

    /// <summary>"3 queued, 5 finished": how many trials are in each state.</summary>
    private static string Counts(IReadOnlyList<TrialStatus> states) =>
        string.Join(", ", states.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));

    /// <summary>Writes the table and plots, prints the table; 0 when every trial has finished (or was pruned), 1 otherwise.</summary>
    public static int Report(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> states)
    {
        var report = SweepState.Collect(sweep, manifest, states);
        Console.WriteLine(report.Markdown());
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"table: {sweep.ResultsMarkdown}, {sweep.ResultsCsv}; plots in {sweep.Plots}"));
        return states.All(s => s.Done) ? 0 : 1;
    }
}
