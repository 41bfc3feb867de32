namespace Grad.Optim;

/// <summary>The same learning rate at every step (after the optional warm-up).</summary>
public sealed record ConstantSchedule : LearningRateSchedule
{
    public ConstantSchedule(double learningRate, long warmupSteps = 0) : base(warmupSteps)
    {
        CheckRate(learningRate);
        LearningRate = learningRate;
    }

    public double LearningRate { get; }

    protected override double AfterWarmup(long step) => LearningRate;
}
