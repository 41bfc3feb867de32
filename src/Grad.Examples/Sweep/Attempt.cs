namespace Grad.Examples.Sweep;

/// <summary>How one attempt at a trial ended; <see cref="Outcome"/> null: it never recorded an end
/// (it is running, or it was killed: SIGKILL, a lost node).</summary>
public sealed record Attempt(DateTimeOffset Started, string Host, string? Job, int? ExitCode, string? Outcome)
{
    public const string Finished = "finished", Stopped = "stopped", Requeued = "requeued", Failed = "failed", Pruned = "pruned";
}
