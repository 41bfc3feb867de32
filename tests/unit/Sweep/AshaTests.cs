using System.Text.Json.Nodes;
using Grad.Examples.Sweep;
using Grad.Examples.Training;

namespace Grad.Tests.Unit.Sweep;

/// <summary>Successive halving: the rungs, the promotion rule, and a local sweep that prunes.</summary>
public sealed class AshaTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Rungs_are_the_first_step_times_powers_of_eta_below_the_last_step()
    {
        Assert.Equal([100, 300, 900], new Asha(100, 3).Rungs(2700));
        Assert.Equal([100, 300, 900], new Asha(100, 3).Rungs(901));
        Assert.Equal([50, 100, 200], new Asha(50, 2).Rungs(400));
        Assert.Empty(new Asha(500, 2).Rungs(500));
        var points = new[] { 100, 200, 300, 400 }.Select(s => new EvalPoint(s, 1, 0.1, 1, 0.1, 1)).ToList();
        Assert.Equal(300, new Asha(100, 3).LastRung(points, 2700));
        Assert.Null(new Asha(500, 3).LastRung(points, 2700));
    }

    [Fact]
    public void A_trial_goes_on_only_among_the_best_n_over_eta_at_its_rung()
    {
        var asha = new Asha(100, 3);
        var two = new Dictionary<int, double> { [0] = 0.9, [1] = 0.1 };
        Assert.False(asha.Promotable(0, two)); // ⌊2/3⌋ = 0: the first trials at a rung wait for company
        var six = new Dictionary<int, double> { [0] = 0.5, [1] = 0.7, [2] = double.NaN, [3] = 0.7, [4] = 0.2, [5] = 0.6 };
        Assert.Equal([1, 3], six.Keys.Where(id => asha.Promotable(id, six))); // the best two; a tie to the lower id
        six[2] = 0.8;
        Assert.Equal([1, 2], six.Keys.Where(id => asha.Promotable(id, six)));
    }

    [Fact]
    public void The_tasks_of_a_pruning_sweep_carry_its_settings()
    {
        var manifest = Manifest.Of(SweepSpec.Parse(JsonNode.Parse("""{"trainer": "mlp"}"""), "one.json"));
        string script = SbatchScript.Write(new SweepFolder("/s"), manifest, [0], new SlurmOptions(2), ["/g"], new Asha(100, 3));
        Assert.EndsWith("exec /g sweep task /s \"$SLURM_ARRAY_TASK_ID\" --threads 2 --prune asha --rung-steps 100 --eta 3\n", script);
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
