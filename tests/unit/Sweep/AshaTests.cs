using System.Text.Json.Nodes;
using Grad.Examples.Sweep;
using Grad.Examples.Training;

namespace Grad.Tests.Unit.Sweep;

/// <summary>Successive halving: the rungs, the promotion rule, the task's arguments (a local sweep that
/// prunes is in <see cref="LocalSweepTests"/>).</summary>
public sealed class AshaTests
{
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
}
