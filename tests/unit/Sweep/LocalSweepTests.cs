using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>The local executor end to end on a tiny data set: trials as child processes, a
/// diverging trial reported with its log, a re-run that trains only what the retries allow, the
/// table and plots, and a damaged result reported rather than trusted.</summary>
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
}
