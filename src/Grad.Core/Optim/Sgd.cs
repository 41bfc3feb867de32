using System.Collections.Immutable;

namespace Grad.Optim;

/// <summary>
/// Stochastic gradient descent with momentum and weight decay, as PyTorch's SGD (no dampening,
/// no Nesterov): g ← g + wd·p; v ← μ·v + g; p ← p − lr·v. With μ = 0 there is no velocity and
/// the step is p ← p − lr·g. The velocity is kept per parameter as slot <c>velocity</c>.
/// </summary>
public sealed record Sgd(double Momentum = 0, double WeightDecay = 0) : IOptimizer
{
    public const string VelocitySlot = "velocity";

    public (TModel Model, OptimizerState State) Step<TModel>(TModel model, TModel gradient, OptimizerState state, double learningRate, bool donate = false)
        where TModel : ILayer<TModel>
    {
        OptimizerChecks.NonNegative(nameof(Sgd), nameof(learningRate), learningRate);
        OptimizerChecks.NonNegative(nameof(Sgd), nameof(Momentum), Momentum);
        OptimizerChecks.NonNegative(nameof(Sgd), nameof(WeightDecay), WeightDecay);
        var slots = ImmutableSortedDictionary.CreateBuilder<string, Tensor>(StringComparer.Ordinal);
        var next = model.ZipParameters(gradient, (name, p, g) =>
        {
            OptimizerChecks.Gradient(nameof(Sgd), name, p, g);
            if (Momentum == 0) return OptimizerUpdate.Run(SgdStep.Instance, [p, g], [learningRate, WeightDecay], [p], donate)[0];

            // PyTorch starts the velocity at the first gradient; μ·0 + g is exactly that.
            using var v = state.SlotOrZeros(VelocitySlot, name, p);
            var outputs = OptimizerUpdate.Run(SgdMomentumStep.Instance, [p, g, v], [learningRate, Momentum, WeightDecay], [p, v], donate);
            slots.Add(OptimizerState.Key(VelocitySlot, name), outputs[1]);
            return outputs[0];
        });
        return (next, new OptimizerState(state.Step + 1, slots.ToImmutable()));
    }
}
