using System.Globalization;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// Submits trials to Slurm as one job array: writes <c>sweep.sbatch</c> (the tasks of these
/// trials only), runs <c>sbatch</c>, and records the array job in <c>jobs.json</c>, which later
/// <c>grad sweep</c> and <c>grad sweep status</c> runs read to ask <c>squeue</c> about it.
/// </summary>
public sealed class SlurmExecutor(SlurmOptions options, IReadOnlyList<string> grad, Asha? asha = null)
{
    public Submission Submit(SweepFolder sweep, Manifest manifest, IReadOnlyList<Trial> trials)
    {
        foreach (var t in trials) Directory.CreateDirectory(sweep.Trial(t.Id).Path); // Slurm writes each task's log.txt there
        MetricsLog.WriteText(sweep.SbatchScript, SbatchScript.Write(sweep, manifest, trials.Select(t => t.Id), options, grad, asha));
        string printed = SlurmCommand.Run("sbatch", ["--parsable", sweep.SbatchScript]).Trim();
        // --parsable prints "JOBID", or "JOBID;CLUSTER" on a federation.
        if (!long.TryParse(printed.Split(';')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long job))
            throw new SlurmCommandException($"`sbatch --parsable {sweep.SbatchScript}` printed '{printed}', not a job id");
        var submission = new Submission(job, trials.Select(t => t.Id).ToList(), DateTimeOffset.UtcNow);
        new SlurmJobs(sweep.Jobs).Add(submission);
        return submission;
    }
}
