namespace Grad.Examples.Sweep;

/// <summary>Every trial's <see cref="TrialStatus"/>, and the table and plots made from them.</summary>
public static class SweepState
{
    /// <summary>Reads each trial's state; asks Slurm's queue too when the sweep has submitted jobs.</summary>
    public static IReadOnlyList<TrialStatus> Read(SweepFolder sweep, Manifest manifest)
    {
        var queue = File.Exists(sweep.Jobs) ? new SlurmJobs(sweep.Jobs).Queue() : [];
        return manifest.Trials.Select(t => TrialStatus.Read(t, sweep.Trial(t.Id), queue.GetValueOrDefault(t.Id))).ToList();
    }

    /// <summary>Writes results.md, results.csv and the plots; returns the report.</summary>
    public static SweepReport Collect(SweepFolder sweep, Manifest manifest, IReadOnlyList<TrialStatus> trials)
    {
        var report = new SweepReport(sweep, manifest, trials);
        report.Write();
        SweepPlots.Save(sweep, manifest, trials);
        return report;
    }
}
