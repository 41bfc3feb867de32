using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al., 2020): rungs at <see cref="FirstRung"/>,
/// ×<see cref="Eta"/>, ×<see cref="Eta"/>², … steps below a trial's last step. A trial that
/// reaches a rung goes on only while its test accuracy there is among the best
/// ⌊n/<see cref="Eta"/>⌋ of the n trials that have reached that rung so far; otherwise it is
/// paused ("pruned") with its checkpoint, and a later decision that finds it among the best
/// (more trials having reached the rung) promotes it: it continues from that checkpoint.
/// </summary>
public sealed record Asha(int FirstRung, int Eta)
{
    /// <summary>The rung steps below <paramref name="maxSteps"/>.</summary>
    public IEnumerable<int> Rungs(int maxSteps)
    {
        for (long step = FirstRung; step < maxSteps; step *= Eta) yield return (int)step;
    }

    /// <summary>Whether trial <paramref name="id"/> is among the best ⌊n/η⌋ of the accuracies at a
    /// rung (its own included); a tie goes to the lower id, a diverged (NaN) accuracy ranks last.</summary>
    public bool Promotable(int id, IReadOnlyDictionary<int, double> atRung) =>
        atRung.OrderByDescending(p => double.IsNaN(p.Value) ? double.NegativeInfinity : p.Value).ThenBy(p => p.Key)
            .Take(atRung.Count / Eta).Any(p => p.Key == id);

    /// <summary>Each trial's test accuracy at <paramref name="step"/>, for the trials that have
    /// evaluated it; a trial whose metrics cannot be read does not count.</summary>
    public static Dictionary<int, double> AtRung(SweepFolder sweep, Manifest manifest, int step)
    {
        var accuracies = new Dictionary<int, double>();
        foreach (var trial in manifest.Trials)
        {
            try
            {
                if (MetricsLog.Read(sweep.Trial(trial.Id).Path).FirstOrDefault(p => p.Step == step) is { } point)
                    accuracies[trial.Id] = point.TestAccuracy;
            }
            catch (InvalidDataException)
            {
                // Reported as damaged by the status; it takes no part in decisions.
            }
        }
        return accuracies;
    }

    /// <summary>The highest rung a trial's metrics have reached; null below the first.</summary>
    public int? LastRung(IReadOnlyList<EvalPoint> points, int maxSteps)
    {
        var rungs = Rungs(maxSteps).ToHashSet();
        return points.Where(p => rungs.Contains(p.Step)).Select(p => (int?)p.Step).Max();
    }

    /// <summary>The arguments that carry these settings to <c>grad sweep task</c>.</summary>
    public IEnumerable<string> Arguments() =>
        ["--prune", "asha", "--rung-steps", FirstRung.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--eta", Eta.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}
