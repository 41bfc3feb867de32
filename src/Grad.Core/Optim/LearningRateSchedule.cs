namespace Grad.Optim;

/// <summary>
/// A learning rate as a pure function of the 0-based optimiser step, with an optional linear
/// warm-up: during the first <see cref="WarmupSteps"/> steps the rate is
/// <c>first·(step + 1)/(WarmupSteps + 1)</c>, where <c>first</c> is the schedule's own rate at its
/// start, so the ramp climbs in equal steps, never uses 0, and reaches <c>first</c> at step
/// <see cref="WarmupSteps"/>, where the schedule proper begins.
/// </summary>
public abstract record LearningRateSchedule
{
    protected LearningRateSchedule(long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        WarmupSteps = warmupSteps;
    }

    public long WarmupSteps { get; }

    /// <summary>The learning rate for optimiser step <paramref name="step"/> (0 is the first).</summary>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step < WarmupSteps
            ? AfterWarmup(0) * (step + 1) / (WarmupSteps + 1)
            : AfterWarmup(step - WarmupSteps);
    }

    /// <summary>The schedule proper, with <paramref name="step"/> counted from the end of warm-up.</summary>
    protected abstract double AfterWarmup(long step);

    /// <summary>Checks that a schedule over <paramref name="totalSteps"/> leaves steps after warm-up.</summary>
    protected static void CheckTotal(long totalSteps, long warmupSteps)
    {
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps,
                $"The schedule has {totalSteps} steps in all, which leaves none after {warmupSteps} warm-up steps.");
    }

    protected static void CheckRate(double rate)
    {
        if (!(rate >= 0) || double.IsInfinity(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A learning rate must be finite and at least 0.");
    }
}
