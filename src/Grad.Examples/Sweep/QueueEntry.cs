namespace Grad.Examples.Sweep;

/// <summary>What Slurm's queue says about one array task: its array job, its index (the trial's
/// id), its state and reason (<c>PENDING</c> / <c>Resources</c>), and how often it was requeued.</summary>
public sealed record QueueEntry(long ArrayJob, int Task, string State, string Reason, int Restarts = 0)
{
    /// <summary>The task will still run, or runs now: it must not be submitted again.</summary>
    public bool Active => State is "PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED"
        or "RESIZING" or "SUSPENDED" or "STOPPED" or "SIGNALING" or "STAGE_OUT";

    public bool Running => State is "RUNNING" or "COMPLETING" or "CONFIGURING" or "SIGNALING" or "STAGE_OUT";

    /// <summary>The task's name in Slurm's own notation, e.g. <c>12_3</c>.</summary>
    public string Name => $"{ArrayJob}_{Task}";
}
