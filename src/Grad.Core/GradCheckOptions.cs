namespace Grad;

/// <summary>Settings of <see cref="GradCheck"/>. The defaults are torch.autograd.gradcheck's for
/// float64: central differences with step 1e-6, pass when |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
public sealed record GradCheckOptions
{
    public double Epsilon { get; init; } = 1e-6;
    public double AbsoluteTolerance { get; init; } = 1e-5;
    public double RelativeTolerance { get; init; } = 1e-3;

    /// <summary>Seed of the random cotangent (a random one, not all ones: a sum hides errors).</summary>
    public ulong Seed { get; init; } = 12345;

    /// <summary>Check at most this many entries per tensor (spread over the tensor); 0 checks all.</summary>
    public int MaxEntriesPerTensor { get; init; }
}
