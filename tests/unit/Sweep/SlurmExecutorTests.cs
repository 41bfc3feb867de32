using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>The Slurm executor's logic against fake sbatch/squeue/scontrol (<see cref="FakeSlurm"/>):
/// one array per submission, nothing submitted twice, failed trials retried up to the limit, and
/// a clear error naming the command when Slurm's tools fail or are missing, or when another
/// <c>grad sweep</c> holds the folder.</summary>
public sealed class SlurmExecutorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeSlurm _slurm;
    private readonly string _spec, _sweep;

    public SlurmExecutorTests()
    {
        _slurm = new FakeSlurm(_temp.Combine("bin"));
        _spec = SweepKit.WriteSpec(_temp.Combine("lr.json"), _temp.Combine("no-data"), 10, "0.001", "0.01");
        _sweep = _temp.Combine("sweep");
    }

    public void Dispose() => _temp.Dispose();

    private (int Code, string Stdout, string Stderr) Grad(params string[] args) => SweepKit.Run(_slurm.Bin, TimeSpan.FromMinutes(1), args);

    private (int Code, string Stdout, string Stderr) Sweep(params string[] more) =>
        Grad(["sweep", _spec, "--out", _sweep, "--executor", "slurm", "--parallel", "2", .. more]);

    private static void Fails((int Code, string Stdout, string Stderr) run, params string[] expected)
    {
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        Assert.DoesNotContain("\n   at ", run.Stderr);
        foreach (var e in expected) Assert.Contains(e, run.Stderr);
    }

    [Fact]
    public void One_array_is_submitted_and_trials_still_queued_are_not_submitted_again()
    {
        var first = Sweep();
        Assert.True(first.Code == 0, first.Stderr);
        Assert.Contains("submitted array job 42 (tasks 0-3)", first.Stderr);
        Assert.Single(_slurm.SbatchCalls());
        Assert.Contains(Path.Combine(_sweep, "sweep.sbatch"), File.ReadAllText(_slurm.Calls));
        Assert.Contains("#SBATCH --array=0-3%2\n", File.ReadAllText(Path.Combine(_sweep, "sweep.sbatch")));
        Assert.All(Enumerable.Range(0, 4), t => Assert.True(Directory.Exists(Path.Combine(_sweep, "trials", SweepKit.Id(t)))));

        _slurm.Queue("42|0|RUNNING|None", "42|1|PENDING|Priority", "42|2|PENDING|Priority", "42|3|PENDING|Priority");
        var again = Sweep();
        Assert.Contains("nothing to run", again.Stderr);
        Assert.Single(_slurm.SbatchCalls());
        var status = Grad("sweep", "status", _sweep);
        Assert.Equal(1, status.Code);
        Assert.Contains("| 0 | running |", status.Stdout);
        Assert.Equal(3, status.Stdout.Split("| queued (Priority) |").Length - 1);
    }

    [Fact]
    public void Tasks_that_ended_without_a_result_are_submitted_again_and_failed_ones_only_within_the_retries()
    {
        Assert.Equal(0, Sweep().Code);
        // Trials 0-2 never started grad (cancelled, say); task 3 failed before grad recorded an attempt.
        _slurm.Queue("42|0|CANCELLED|None", "42|1|CANCELLED|None", "42|2|COMPLETED|None", "42|3|FAILED|NonZeroExitCode");
        var status = Grad("sweep", "status", _sweep);
        Assert.Contains("Slurm task 42_3 ended FAILED (NonZeroExitCode) before grad started it", status.Stdout);
        var again = Sweep("--retries", "0");
        Assert.True(again.Code == 0, again.Stderr);
        Assert.Equal(2, _slurm.SbatchCalls().Length);
        Assert.Contains("#SBATCH --array=0-2%2\n", File.ReadAllText(Path.Combine(_sweep, "sweep.sbatch")));
        var jobs = new SlurmJobs(Path.Combine(_sweep, "jobs.json")).Read();
        Assert.Equal([0, 1, 2], jobs[^1].Trials);
    }

    [Fact]
    public void A_failing_sbatch_is_an_error_naming_the_command_and_its_output()
    {
        _slurm.Fail("sbatch");
        Fails(Sweep("--partition", "nope"), "`sbatch --parsable " + Path.Combine(_sweep, "sweep.sbatch") + "` failed (exit 1)", "Invalid partition name specified");
        Assert.False(File.Exists(Path.Combine(_sweep, "jobs.json")));
    }

    [Fact]
    public void A_failing_squeue_is_an_error_naming_the_command_and_its_output()
    {
        Assert.Equal(0, Sweep().Code);
        _slurm.Fail("squeue");
        Fails(Grad("sweep", "status", _sweep), "`squeue -h -r -t all -j 42", "Unable to contact slurm controller");
        Fails(Sweep(), "`squeue", "Unable to contact slurm controller");
        Assert.Single(_slurm.SbatchCalls());
    }

    [Fact]
    public void Missing_slurm_commands_are_an_error_that_says_what_to_install()
    {
        string empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        Fails(SweepKit.Run(empty, TimeSpan.FromMinutes(1), "sweep", _spec, "--out", _sweep, "--executor", "slurm"),
            "`sbatch --parsable", "could not run", "Slurm's client commands", "PATH");
    }

    [Fact]
    public void A_second_grad_sweep_on_a_folder_in_use_submits_nothing()
    {
        Directory.CreateDirectory(_sweep);
        using (FolderLock.TryTake(Path.Combine(_sweep, ".lock")))
            Fails(Sweep(), "another `grad sweep` is working on " + _sweep);
        Assert.Empty(_slurm.SbatchCalls());
    }

    [Fact]
    public void A_sweep_folder_of_another_sweep_or_flags_the_trainer_lacks_are_refused_before_submitting()
    {
        Assert.Equal(0, Sweep().Code);
        string other = SweepKit.WriteSpec(_temp.Combine("other.json"), _temp.Combine("no-data"), 20, "0.001", "0.01");
        Fails(Grad("sweep", other, "--out", _sweep, "--executor", "slurm"), "holds another sweep");
        File.WriteAllText(_temp.Combine("typo.json"), """{"trainer": "mlp-numpy", "grid": {"--learning_rat": [0.1, 0.2]}}""");
        Fails(Grad("sweep", _temp.Combine("typo.json"), "--out", _temp.Combine("typo"), "--executor", "slurm"), "trial 0:", "--learning_rat");
        Assert.Single(_slurm.SbatchCalls());
    }
}
