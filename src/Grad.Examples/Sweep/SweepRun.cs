using System.Globalization;

namespace Grad.Examples.Sweep;

/// <summary>How <c>grad sweep</c> runs: where, with what, how often a failed trial is tried again.</summary>
public sealed record SweepSettings(string Executor, int Parallel, int Threads, int Retries, SlurmOptions Slurm, string? GradBinary, bool Wait,
    double PollSeconds = 1);

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

        var grad = GradProgram.Command(settings.GradBinary);
        var states = SweepState.Read(sweep, manifest);
        var todo = states.Where(s => s.NeedsRun(settings.Retries)).Select(s => s.Trial).ToList();
        Console.Error.WriteLine($"sweep {sweep.Path}: {manifest.Trials.Count} trials; {Counts(states)}; {todo.Count} to run");
        if (todo.Count == 0)
        {
            Console.Error.WriteLine("nothing to run: every trial has finished, is queued or running, or has failed more than --retries allows.");
            return Report(sweep, manifest, states);
        }
        if (settings.Executor == "slurm")
        {
            var submission = new SlurmExecutor(settings.Slurm, grad).Submit(sweep, manifest, todo);
            Console.Error.WriteLine($"submitted array job {submission.Job} (tasks {SlurmOutput.ArraySpec(submission.Trials)}), script {sweep.SbatchScript}");
            if (!settings.Wait)
            {
                Console.Error.WriteLine($"follow it with `grad sweep status {sweep.Path}`; `grad sweep collect {sweep.Path}` writes the table and plots.");
                return 0;
            }
            return Report(sweep, manifest, WaitForQueue(sweep, manifest, settings.PollSeconds));
        }
        var progress = new SweepProgress(todo.ToDictionary(t => t.Id, t => (string.Join(" ", t.Arguments()), MaxSteps(manifest, t))));
        new LocalExecutor(settings.Parallel, settings.Threads, grad, progress).Execute(sweep, todo);
        return Report(sweep, manifest, SweepState.Read(sweep, manifest));
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

    public static int MaxSteps(Manifest manifest, Trial trial) =>
        TrialTask.Trainer(manifest.Trainer).Parse([.. manifest.Arguments(trial), "--out", "x"]).GetValue<int>("--max_steps");

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

    /// <summary>Writes the table and plots, prints the table; 0 when every trial has finished, 1 otherwise.</summary>
    public static int Report(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> states)
    {
        var report = SweepState.Collect(sweep, manifest, states);
        Console.WriteLine(report.Markdown());
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"table: {sweep.ResultsMarkdown}, {sweep.ResultsCsv}; plots in {sweep.Plots}"));
        return states.All(s => s.State == TrialState.Finished) ? 0 : 1;
    }
}
