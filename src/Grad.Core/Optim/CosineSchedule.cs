namespace Grad.Optim;

/// <summary>
/// Cosine decay to 0 over the steps after warm-up (PyTorch's CosineAnnealingLR with
/// η_min = 0 and T_max = those steps): lr·½(1 + cos(π·k/N)) at step k of N, and 0 from step N on.
/// </summary>
public sealed record CosineSchedule : LearningRateSchedule
{
    public CosineSchedule(double learningRate, long totalSteps, long warmupSteps = 0) : base(warmupSteps)
    {
        CheckRate(learningRate);
        CheckTotal(totalSteps, warmupSteps);
        LearningRate = learningRate;
        TotalSteps = totalSteps;
    }

    public double LearningRate { get; }

    /// <summary>All steps, warm-up included.</summary>
    public long TotalSteps { get; }

    protected override double AfterWarmup(long step)
    {
        long span = TotalSteps - WarmupSteps;
        return step >= span ? 0 : LearningRate * 0.5 * (1 + Math.Cos(Math.PI * step / span));
    }
}
