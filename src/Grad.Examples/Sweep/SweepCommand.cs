using System.CommandLine;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// <c>grad sweep SPEC</c> and its subcommands <c>status</c>, <c>collect</c> and <c>task</c>
/// (docs/cluster.md).
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var command = new Command("sweep", "Run a hyper-parameter sweep (a JSON sweep file) on this machine or as a Slurm job array; run it again to continue it.");
        var spec = new Argument<string>("SPEC") { Description = "The sweep file (JSON), or the folder of a sweep already started." };
        var output = new Option<string?>("--out") { Description = "The sweep folder (default: sweeps/<name of the sweep file>)." };
        var executor = new Option<string>("--executor") { Description = "local (child processes here) or slurm (one sbatch job array).", DefaultValueFactory = _ => "local" };
        executor.AcceptOnlyFromAmong("local", "slurm");
        var parallel = new Option<int?>("--parallel") { Description = "Trials at once (local default: one per core; slurm default: no limit, else the array's %N)." };
        var threads = new Option<int?>("--threads") { Description = "Local: threads of each trial (default: the cores divided among the parallel trials)." };
        var retries = new Option<int>("--retries") { Description = "Times a failed trial is tried again by later `grad sweep` runs.", DefaultValueFactory = _ => 1 };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition." };
        var time = new Option<string?>("--time") { Description = "Slurm time limit of each task, e.g. 02:00:00; a task that reaches it continues in a requeued job." };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Slurm CPUs of each task, also its trainer's --threads.", DefaultValueFactory = _ => 1 };
        var memory = new Option<string?>("--mem") { Description = "Slurm memory of each task, e.g. 4G." };
        var gres = new Option<string?>("--gres") { Description = "Slurm generic resources of each task, e.g. gpu:1." };
        var extra = new Option<string[]>("--sbatch-arg") { Description = "Any other sbatch argument, as one word: --sbatch-arg=--qos=long (repeatable).", AllowMultipleArgumentsPerToken = false };
        var binary = new Option<string?>("--grad-binary") { Description = "The grad the tasks run, e.g. a self-contained single-file build (default: this program)." };
        var wait = new Option<bool>("--wait") { Description = "Slurm: wait until no task is queued or running, then collect the table and plots." };
        var (prune, rungs, eta) = PruneOptions();
        foreach (var o in new Option[] { output, executor, parallel, threads, retries, partition, time, cpus, memory, gres, extra, binary, wait, prune, rungs, eta })
            command.Options.Add(o);
        command.Arguments.Add(spec);
        command.SetAction(parse => Guard(() =>
        {
            int cores = Environment.ProcessorCount;
            bool slurm = parse.GetValue(executor) == "slurm";
            int p = parse.GetValue(parallel) ?? (slurm ? 0 : Math.Max(1, cores / (parse.GetValue(threads) ?? 1)));
            int t = parse.GetValue(threads) ?? Math.Max(1, cores / Math.Max(1, p));
            Positive(p, "--parallel", allowZero: slurm && parse.GetValue(parallel) is null);
            Positive(t, "--threads");
            Positive(parse.GetValue(cpus), "--cpus-per-task");
            Positive(parse.GetValue(retries), "--retries", allowZero: true);
            var options = new SlurmOptions(parse.GetValue(cpus), parse.GetValue(partition), parse.GetValue(time), parse.GetValue(memory), parse.GetValue(gres),
                parse.GetValue(extra) ?? [], slurm && p > 0 ? p : null);
            return SweepRun.Run(parse.GetValue(spec)!, parse.GetValue(output),
                new SweepSettings(slurm ? "slurm" : "local", p, t, parse.GetValue(retries), options, parse.GetValue(binary), parse.GetValue(wait),
                    Halving(parse, prune, rungs, eta)));
        }));
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Collect());
        command.Subcommands.Add(Task());
        return command;
    }

    private static Command Status() => OnSweep("status", "Show each trial's state (from its files and Slurm's queue) as a table.", (sweep, manifest) =>
    {
        var states = SweepState.Read(sweep, manifest);
        Console.WriteLine(new SweepReport(sweep, manifest, states).Markdown());
        return states.All(s => s.Done) ? 0 : 1;
    });

    private static Command Collect() => OnSweep("collect", "Write the sweep's table (results.md, results.csv) and plots, and show the table and the best trial.",
        (sweep, manifest) => SweepRun.Report(sweep, manifest, SweepState.Read(sweep, manifest)));

    /// <summary>A subcommand that reads an existing sweep folder.</summary>
    private static Command OnSweep(string name, string description, Func<SweepFolder, Manifest, int> action)
    {
        var command = new Command(name, description);
        var folder = new Argument<string>("DIR") { Description = "The sweep folder." };
        command.Arguments.Add(folder);
        command.SetAction(parse => Guard(() =>
        {
            var sweep = SweepFolder.Existing(parse.GetValue(folder)!);
            return action(sweep, Manifest.Read(sweep.Manifest));
        }));
        return command;
    }

    private static Command Task()
    {
        var command = new Command("task", "Train one trial of a sweep here (what each Slurm array task and local child runs).");
        var folder = new Argument<string>("DIR") { Description = "The sweep folder." };
        var id = new Argument<int>("ID") { Description = "The trial (its Slurm array index)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var (prune, rungs, eta) = PruneOptions();
        command.Arguments.Add(folder);
        command.Arguments.Add(id);
        foreach (var o in new Option[] { threads, prune, rungs, eta }) command.Options.Add(o);
        command.SetAction(parse => Guard(() =>
            TrialTask.Run(SweepFolder.Existing(parse.GetValue(folder)!), parse.GetValue(id), parse.GetValue(threads), Halving(parse, prune, rungs, eta))));
        return command;
    }

    private static (Option<string> Prune, Option<int?> Rungs, Option<int> Eta) PruneOptions()
    {
        var prune = new Option<string>("--prune") { Description = "none, or asha: successive halving at fixed evaluation steps (docs/cluster.md).", DefaultValueFactory = _ => "none" };
        prune.AcceptOnlyFromAmong("none", "asha");
        var rungs = new Option<int?>("--rung-steps") { Description = "asha: the first rung's step (a multiple of --eval_freq); the next rungs are ×eta." };
        var eta = new Option<int>("--eta") { Description = "asha: keep the best 1/eta of the trials at each rung.", DefaultValueFactory = _ => 3 };
        return (prune, rungs, eta);
    }

    private static Asha? Halving(ParseResult parse, Option<string> prune, Option<int?> rungs, Option<int> eta) => parse.GetValue(prune) == "asha"
        ? new Asha(parse.GetValue(rungs) ?? throw new ArgumentException("--prune asha needs --rung-steps N, the first rung's step."), parse.GetValue(eta))
        : null;

    private static void Positive(int value, string flag, bool allowZero = false)
    {
        if (value < (allowZero ? 0 : 1)) throw new ArgumentException($"{flag} must be at least {(allowZero ? 0 : 1)}, got {value}.");
    }

    /// <summary>The trainers' guard (one line for a user's error), and Slurm's failures named the same way.</summary>
    private static int Guard(Func<int> command) => Runner.Guard(() =>
    {
        try
        {
            return command();
        }
        catch (SlurmCommandException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    });
}
