using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

public enum TrialState { New, Queued, Running, Stopped, Pruned, Failed, Finished, Damaged }

/// <summary>
/// Where one trial stands, read from its folder (result.json, attempts.jsonl, the trial's lock, the
/// trainer's metrics) and from Slurm's queue. Files decide: a finished trial is one with a result;
/// the queue only says what is pending or running. A damaged file is reported, never trusted.
/// </summary>
/// <param name="Failures">Attempts that failed, or that vanished without recording an end (SIGKILL, a lost node).</param>
public sealed record TrialStatus(Trial Trial, TrialState State, TrialResult? Result, IReadOnlyList<EvalPoint> Points,
    IReadOnlyList<Attempt> Attempts, QueueEntry? Queue, string? Problem, int Failures)
{
    /// <summary>Finished, or stopped for good by successive halving.</summary>
    public bool Done => State is TrialState.Finished or TrialState.Pruned;

    /// <summary>Whether a <c>grad sweep</c> run trains this trial: new and stopped ones, and failed
    /// ones until they have failed more than <paramref name="retries"/> times.</summary>
    public bool NeedsRun(int retries) => State is TrialState.New or TrialState.Stopped || (State == TrialState.Failed && Failures <= retries);

    public static TrialStatus Read(Trial trial, TrialFolder folder, QueueEntry? queue)
    {
        TrialResult? result;
        IReadOnlyList<Attempt> attempts;
        IReadOnlyList<EvalPoint> points;
        try
        {
            result = TrialResult.Read(folder.Result);
            attempts = new AttemptLog(folder.Attempts).Read();
            points = MetricsLog.Read(folder.Path);
        }
        catch (InvalidDataException e)
        {
            return new TrialStatus(trial, TrialState.Damaged, null, [], [], queue, e.Message, 0);
        }
        var (state, problem) = Classify(result, attempts, queue, FolderLock.IsHeld(folder.Lock));
        int failures = attempts.Count(a => a.Outcome is Attempt.Failed or null) - (state == TrialState.Running && attempts.Count > 0 && attempts[^1].Outcome is null ? 1 : 0)
            + (attempts.Count == 0 && state == TrialState.Failed ? 1 : 0);
        return new TrialStatus(trial, state, result, points, attempts, queue, problem, failures);
    }

    /// <summary>The state the files and the queue imply, with what went wrong for a failed trial.</summary>
    public static (TrialState, string?) Classify(TrialResult? result, IReadOnlyList<Attempt> attempts, QueueEntry? queue, bool locked)
    {
        if (result is not null) return (TrialState.Finished, null);
        if (locked || queue?.Running == true) return (TrialState.Running, null);
        if (queue?.Active == true) return (TrialState.Queued, null);
        if (attempts.Count == 0)
            return queue is { State: "FAILED" or "NODE_FAIL" or "BOOT_FAIL" or "OUT_OF_MEMORY" or "TIMEOUT" or "DEADLINE" }
                ? (TrialState.Failed, $"Slurm task {queue.Name} ended {queue.State} ({queue.Reason}) before grad started it")
                : (TrialState.New, null); // never run, or cancelled before it started
        var last = attempts[^1];
        return last.Outcome switch
        {
            Attempt.Failed => (TrialState.Failed, $"exit code {last.ExitCode}"),
            null => (TrialState.Failed, $"the attempt started {last.Started:u} on {last.Host} ended without a word (killed: SIGKILL, a lost node, a time limit without warning)"
                + (queue is null ? "" : $"; Slurm task {queue.Name}: {queue.State}")),
            Attempt.Pruned => (TrialState.Pruned, null),
            _ => (TrialState.Stopped, null),
        };
    }
}
