namespace Grad.Optim;

/// <summary>
/// The one-cycle policy with PyTorch OneCycleLR's defaults and step arithmetic: over the N steps
/// after warm-up, the rate rises from max/<see cref="DivFactor"/> to max by step
/// e = <see cref="PctStart"/>·N − 1, then anneals by a cosine to
/// max/(<see cref="DivFactor"/>·<see cref="FinalDivFactor"/>) at step N − 1 (and stays there).
/// The rise is a cosine too unless <see cref="LinearRise"/> is set.
/// </summary>
public sealed record OneCycleSchedule : LearningRateSchedule
{
    public OneCycleSchedule(double maxLearningRate, long totalSteps, double pctStart = 0.3, double divFactor = 25,
        double finalDivFactor = 1e4, bool linearRise = false, long warmupSteps = 0) : base(warmupSteps)
    {
        CheckRate(maxLearningRate);
        CheckTotal(totalSteps, warmupSteps);
        if (!(divFactor > 0) || !(finalDivFactor > 0))
            throw new ArgumentOutOfRangeException(nameof(divFactor), "OneCycleSchedule: the division factors must be above 0.");
        long span = totalSteps - warmupSteps;
        double peak = pctStart * span - 1;
        if (!(peak > 0 && peak < span - 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart,
                $"OneCycleSchedule: with {span} steps after warm-up, pctStart {pctStart} leaves no room to rise and to anneal (the peak would be at step {peak}).");
        (MaxLearningRate, TotalSteps, PctStart, DivFactor, FinalDivFactor, LinearRise) =
            (maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor, linearRise);
    }

    public double MaxLearningRate { get; }

    /// <summary>All steps, warm-up included.</summary>
    public long TotalSteps { get; }

    /// <summary>The fraction of the steps (after warm-up) spent rising.</summary>
    public double PctStart { get; }

    /// <summary>The initial rate is max / DivFactor.</summary>
    public double DivFactor { get; }

    /// <summary>The final rate is the initial rate / FinalDivFactor.</summary>
    public double FinalDivFactor { get; }

    public bool LinearRise { get; }

    public double InitialLearningRate => MaxLearningRate / DivFactor;

    public double FinalLearningRate => InitialLearningRate / FinalDivFactor;

    protected override double AfterWarmup(long step)
    {
        long last = TotalSteps - WarmupSteps - 1;
        double peak = PctStart * (last + 1) - 1;
        if (step <= peak)
        {
            double rise = step / peak;
            return LinearRise
                ? InitialLearningRate + (MaxLearningRate - InitialLearningRate) * rise
                : Cosine(InitialLearningRate, MaxLearningRate, rise);
        }
        return Cosine(MaxLearningRate, FinalLearningRate, Math.Min(1, (step - peak) / (last - peak)));
    }

    /// <summary>From <paramref name="start"/> at 0 to <paramref name="end"/> at 1 along half a cosine.</summary>
    private static double Cosine(double start, double end, double fraction) =>
        end + (start - end) * 0.5 * (1 + Math.Cos(Math.PI * fraction));
}
