using System.Globalization;
using Grad.Examples.Sweep;
using Xunit.Abstractions;

namespace Grad.Tests.Unit.Sweep;

/// <summary>
/// A sweep through a real Slurm (the one-node cluster that test.sh starts with
/// .ci/slurm-single-node.sh): eight mlp-numpy trials as one job array; one task is sent the
/// time-limit warning (USR1), saves its checkpoint, requeues itself and finishes from that
/// checkpoint; two trials diverge and are reported; status and collect account for every trial;
/// a second <c>grad sweep</c> submits nothing; the local executor gives the same table. Where no
/// Slurm answers, the test says so and ends, unless CI is set: there it fails.
/// </summary>
public sealed class SlurmSweepTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The columns that must agree between executors: not wall time, attempts or requeues.</summary>
    private static readonly string[] Compared = ["trial", "state", "learning_rate", "seed", "final_test_accuracy", "best_test_accuracy", "best_step", "steps"];

    [Fact]
    public async Task A_slurm_sweep_survives_a_requeue_reports_failures_submits_once_and_matches_the_local_executor()
    {
        if (!SlurmAnswers(out string why))
        {
            string message = $"no usable Slurm here ({why}); start one as root with .ci/slurm-single-node.sh";
            Assert.True(Environment.GetEnvironmentVariable("CI") is null or "", $"CI is set, so this test must run: {message} (test.sh does this on Debian as root).");
            output.WriteLine("not run: " + message);
            Console.Error.WriteLine($"{nameof(SlurmSweepTests)} not run: {message}");
            return;
        }
        string data = SweepKit.WriteData(_temp.Combine("data"));
        string spec = SweepKit.WriteSpec(_temp.Combine("lr.json"), data, 1500, "0.0001", "0.0002", "0.0003", "1000000");
        string sweep = _temp.Combine("slurm");
        long job = 0;
        try
        {
            using (var grad = SweepKit.Start(null, "sweep", spec, "--out", sweep, "--executor", "slurm", "--parallel", "4", "--retries", "0", "--wait"))
            {
                var stdout = grad.StandardOutput.ReadToEndAsync();
                var stderr = grad.StandardError.ReadToEndAsync();
                string trial0 = Path.Combine(sweep, "trials", "0");
                await WaitFor(() => File.Exists(Path.Combine(trial0, "metrics.json")), "trial 0's first evaluation");
                job = new SlurmJobs(Path.Combine(sweep, "jobs.json")).Read().Single().Job;
                await SignalOnce($"{job}_0", Path.Combine(trial0, "log.txt"));
                using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
                await grad.WaitForExitAsync(limit.Token);
                string errors = await stderr, report = await stdout;
                output.WriteLine(errors);
                Assert.True(grad.ExitCode == 1, $"exit {grad.ExitCode} (1: some trials failed): {errors}");
                Assert.Contains("Trial 6 failed: exit code 3.", report);
                Assert.Contains("The training loss became", report);

                var attempts = new AttemptLog(Path.Combine(trial0, "attempts.jsonl")).Read();
                string log = File.ReadAllText(Path.Combine(trial0, "log.txt"));
                Assert.True(attempts.Select(a => a.Outcome).SequenceEqual([Attempt.Requeued, Attempt.Finished]),
                    $"trial 0's attempts: {File.ReadAllText(Path.Combine(trial0, "attempts.jsonl"))}\nits log:\n{log}");
                Assert.Contains("SIGUSR1 received", log);
                // Slurm's own "DUE TO JOB REQUEUE" line is not asserted: slurmstepd writes it only
                // when it wins the race with the task's exit. The attempts above and the resumed step
                // below are what shows the requeue.
                Assert.Matches(@"resuming .* at step [1-9]", log);
            }
            var table = SweepKit.Table(sweep);
            Assert.Equal(["finished", "finished", "finished", "finished", "finished", "finished", "failed", "failed"], table.Select(r => r["state"]));
            Assert.Equal("1", table[0]["requeues"]);

            var status = SweepKit.Run("sweep", "status", sweep);
            Assert.Equal(1, status.Code);
            Assert.Equal(8, Enumerable.Range(0, 8).Count(t => status.Stdout.Contains($"\n| {t} | {(t < 6 ? "finished" : "failed")} |", StringComparison.Ordinal)));
            File.Delete(Path.Combine(sweep, "results.csv"));
            Assert.Equal(1, SweepKit.Run("sweep", "collect", sweep).Code);
            Assert.Equal(8, SweepKit.Table(sweep).Count);

            var again = SweepKit.Run("sweep", spec, "--out", sweep, "--executor", "slurm", "--retries", "0");
            Assert.Contains("nothing to run", again.Stderr);
            Assert.Single(new SlurmJobs(Path.Combine(sweep, "jobs.json")).Read());

            string local = _temp.Combine("local");
            var here = SweepKit.Run("sweep", spec, "--out", local, "--parallel", "2", "--threads", "1", "--retries", "0");
            Assert.True(here.Code == 1, here.Stderr);
            Assert.Equal(Rows(sweep), Rows(local));
        }
        finally
        {
            if (job != 0) SlurmCommand.Run("scancel", [job.ToString(CultureInfo.InvariantCulture)], accept: _ => true); // a test that failed leaves no job behind
        }
    }

    private static List<string> Rows(string sweep) => SweepKit.Table(sweep).Select(r => string.Join(",", Compared.Select(c => r[c]))).ToList();

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail($"waited 2 minutes for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Sends the time-limit warning to a task's batch shell as Slurm would. Slurm 22.05 delivers it
    /// to a running array task yet answers "Job can not be altered now, try again later", so scancel
    /// tries again every few seconds, and would signal the requeued task once more when it runs
    /// again. It is stopped once the trial's log shows the signal arrived.
    /// </summary>
    private static async Task SignalOnce(string task, string log)
    {
        using var scancel = System.Diagnostics.Process.Start("scancel", ["--signal=USR1", "--batch", task]);
        await WaitFor(() => File.Exists(log) && File.ReadAllText(log).Contains("SIGUSR1 received", StringComparison.Ordinal), $"task {task} to receive SIGUSR1");
        if (!scancel.HasExited) scancel.Kill();
    }

    /// <summary>Whether a Slurm controller answers with a node that can run jobs.</summary>
    private static bool SlurmAnswers(out string why)
    {
        try
        {
            string states = SlurmCommand.Run("sinfo", ["-h", "-o", "%T"]).Trim();
            why = $"sinfo reports node states '{states}'";
            return states.Split('\n').Any(s => s is "idle" or "mixed" or "allocated" or "completing");
        }
        catch (SlurmCommandException e)
        {
            why = e.Message;
            return false;
        }
    }
}
