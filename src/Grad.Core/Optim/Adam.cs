using System.Collections.Immutable;

namespace Grad.Optim;

/// <summary>
/// Adam with weight decay as an L2 term on the gradient, as PyTorch's Adam (not AdamW):
/// g ← g + wd·p; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
/// p ← p − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ), t the 1-based step.
/// The moments are kept per parameter as slots <c>m</c> and <c>v</c>.
/// </summary>
public sealed record Adam(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0) : IOptimizer
{
    public const string FirstMomentSlot = "m";
    public const string SecondMomentSlot = "v";

    public (TModel Model, OptimizerState State) Step<TModel>(TModel model, TModel gradient, OptimizerState state, double learningRate, bool donate = false)
        where TModel : ILayer<TModel>
    {
        OptimizerChecks.NonNegative(nameof(Adam), nameof(learningRate), learningRate);
        OptimizerChecks.Fraction(nameof(Adam), nameof(Beta1), Beta1);
        OptimizerChecks.Fraction(nameof(Adam), nameof(Beta2), Beta2);
        OptimizerChecks.Positive(nameof(Adam), nameof(Epsilon), Epsilon);
        OptimizerChecks.NonNegative(nameof(Adam), nameof(WeightDecay), WeightDecay);

        long t = state.Step + 1;
        double stepSize = learningRate / (1 - Math.Pow(Beta1, t));
        double correction = Math.Sqrt(1 - Math.Pow(Beta2, t));
        var slots = ImmutableSortedDictionary.CreateBuilder<string, Tensor>(StringComparer.Ordinal);
        var next = model.ZipParameters(gradient, (name, p, g) =>
        {
            OptimizerChecks.Gradient(nameof(Adam), name, p, g);
            using var m0 = state.SlotOrZeros(FirstMomentSlot, name, p);
            using var v0 = state.SlotOrZeros(SecondMomentSlot, name, p);
            var outputs = OptimizerUpdate.Run(AdamStep.Instance, [p, g, m0, v0],
                [Beta1, 1 - Beta1, Beta2, 1 - Beta2, WeightDecay, stepSize, correction, Epsilon], [p, m0, v0], donate);
            slots.Add(OptimizerState.Key(FirstMomentSlot, name), outputs[1]);
            slots.Add(OptimizerState.Key(SecondMomentSlot, name), outputs[2]);
            return outputs[0];
        });
        return (next, new OptimizerState(t, slots.ToImmutable()));
    }
}
