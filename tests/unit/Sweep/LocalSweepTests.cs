using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>The local executor end to end on a tiny data set: trials as child processes, a
/// diverging trial reported with its log, a re-run that trains only what the retries allow, the
/// table and plots, a damaged result reported rather than trusted, and successive halving.</summary>
public sealed class LocalSweepTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_local_sweep_trains_each_trial_once_retries_failures_within_the_limit_and_reports_them()
    {
        string data = SweepKit.WriteData(_temp.Combine("data"));
        string spec = SweepKit.WriteSpec(_temp.Combine("lr.json"), data, 100, "0.0003", "1000000");
        string sweep = _temp.Combine("sweep");
        string[] args = ["sweep", spec, "--out", sweep, "--parallel", "2", "--retries", "1"];

        var first = SweepKit.Run(args);
        Assert.True(first.Code == 1, $"exit {first.Code}: {first.Stderr}"); // two trials diverge
        var rows = SweepKit.Table(sweep);
        Assert.Equal(["finished", "finished", "failed", "failed"], rows.Select(r => r["state"]));
        Assert.Equal(["0.0003", "0.0003", "1000000", "1000000"], rows.Select(r => r["learning_rate"]));
        Assert.All(rows.Take(2), r => Assert.Equal("100", r["steps"]));
        Assert.All(rows.Take(2), r => Assert.InRange(double.Parse(r["final_test_accuracy"], System.Globalization.CultureInfo.InvariantCulture), 0.0, 1.0));
        Assert.Contains("Trial 2 failed: exit code 3.", first.Stdout);
        Assert.Contains("The training loss became", first.Stdout); // the last lines of its log
        Assert.Contains("Best: trial ", first.Stdout);
        Assert.True(File.Exists(Path.Combine(sweep, "trials", "0", "result.json")));
        Assert.True(File.Exists(Path.Combine(sweep, "plots", "accuracy-vs-learning_rate.png")));
        Assert.True(File.Exists(Path.Combine(sweep, "plots", "test-curves.png")));
        var finished = File.ReadAllText(Path.Combine(sweep, "trials", "0", "result.json"));

        var second = SweepKit.Run(args); // retries the two failures once
        Assert.Contains("2 to run", second.Stderr);
        Assert.Equal(["1", "1", "2", "2"], SweepKit.Table(sweep).Select(r => r["attempts"]));
        Assert.Equal(finished, File.ReadAllText(Path.Combine(sweep, "trials", "0", "result.json")));

        var third = SweepKit.Run(args);
        Assert.Contains("nothing to run", third.Stderr);
        Assert.Equal(["1", "1", "2", "2"], SweepKit.Table(sweep).Select(r => r["attempts"]));

        File.WriteAllText(Path.Combine(sweep, "trials", "1", "result.json"), "{\"id\": 1, \"state\": \"fini");
        var status = SweepKit.Run("sweep", "status", sweep);
        Assert.Contains("| 1 | damaged |", status.Stdout);
        Assert.Contains(Path.Combine(sweep, "trials", "1", "result.json") + " is damaged", status.Stdout);
        Assert.Contains("nothing to run", SweepKit.Run(args).Stderr);
    }

    [Fact]
    public void A_local_sweep_with_asha_prunes_at_rungs_and_trains_the_promoted_trials_to_the_end()
    {
        string data = SweepKit.WriteData(_temp.Combine("data"));
        string spec = SweepKit.WriteSpec(_temp.Combine("lr.json"), data, 100, "0.0001", "0.0003"); // rungs at 40 and 80 steps
        string sweep = _temp.Combine("sweep");
        var bad = SweepKit.Run("sweep", spec, "--out", sweep, "--prune", "asha", "--rung-steps", "30", "--eta", "2");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--rung-steps 30 is not a multiple of trial 0's --eval_freq 20", bad.Stderr);

        var run = SweepKit.Run("sweep", spec, "--out", sweep, "--parallel", "2", "--threads", "1", "--prune", "asha", "--rung-steps", "40", "--eta", "2");
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Stderr}");
        var rows = SweepKit.Table(sweep);
        Assert.All(rows, r => Assert.Contains(r["state"], new[] { "finished", "pruned" }));
        Assert.Contains(rows, r => r["state"] == "finished" && r["steps"] == "100");
        Assert.Contains(rows, r => r["state"] == "pruned");
        Assert.All(rows.Where(r => r["state"] == "pruned"), r => Assert.Contains(r["steps"], new[] { "40", "80" }));
        // Each rung kept the best half of the trials that had reached it when they did: of four, two
        // went past 40 steps (three at most, when an early decision saw fewer trials), fewer past 80.
        int Passed(int step) => rows.Count(r => int.Parse(r["steps"], System.Globalization.CultureInfo.InvariantCulture) > step);
        Assert.InRange(Passed(40), 2, 3);
        Assert.InRange(Passed(80), 1, Passed(40) - 1);
        Assert.Contains("nothing to run", SweepKit.Run("sweep", spec, "--out", sweep, "--prune", "asha", "--rung-steps", "40", "--eta", "2").Stderr);
    }
}
