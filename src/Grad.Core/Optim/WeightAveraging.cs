using System.Collections.Immutable;

namespace Grad.Optim;

/// <summary>
/// Any optimiser, plus an exponential moving average of the parameters it trains (Polyak–Ruppert
/// averaging with exponential weights, as TensorFlow's <c>ExponentialMovingAverage</c> and Keras'
/// <c>use_ema</c>). After each step, a ← d·a + (1 − d)·p with d = min(Decay, (1 + t)/(10 + t))
/// at the 1-based step t, so that the first few hundred steps, far from where training ends, fade
/// out quickly. The average starts at the parameters after the first step.
/// </summary>
/// <remarks>
/// Training is untouched: the wrapped optimiser sees the same parameters and gradients, step for
/// step. The average is for evaluating and saving. At a constant learning rate the parameters
/// keep moving around a minimum by the gradient noise of each batch, and their average sits nearer
/// its centre. The averages live in the state as slot <c>average</c>, beside the optimiser's own,
/// so checkpoints carry them and a resumed run continues them exactly. Only [Param] tensors
/// are averaged; [State] tensors (batch-norm running statistics) are the model's own, as in Keras.
/// </remarks>
public sealed record WeightAveraging(IOptimizer Optimizer, double Decay) : IOptimizer
{
    public const string AverageSlot = "average";

    public (TModel Model, OptimizerState State) Step<TModel>(TModel model, TModel gradient, OptimizerState state, double learningRate, bool donate = false)
        where TModel : ILayer<TModel>
    {
        OptimizerChecks.Fraction(nameof(WeightAveraging), nameof(Decay), Decay);
        var (next, stepped) = Optimizer.Step(model, gradient, state, learningRate, donate);
        double weight = 1 - Math.Min(Decay, (1.0 + stepped.Step) / (10.0 + stepped.Step));
        var slots = stepped.Tensors.ToBuilder();
        foreach (var (name, p) in next.Parameters())
        {
            // The first average is of one point, the parameter itself: blending p with p gives a
            // copy of it, computed into a new tensor since p must not be written over.
            using var previous = state.Slot(AverageSlot, name, p);
            var average = OptimizerUpdate.Run(WeightAveragingBlend.Instance, [previous ?? p, p], [weight],
                [previous ?? p], donate && previous is not null)[0];
            slots.Add(OptimizerState.Key(AverageSlot, name), average);
        }
        return (next, new OptimizerState(stepped.Step, slots.ToImmutable()));
    }

    /// <summary>
    /// The model to evaluate: <paramref name="model"/> with each parameter replaced by its average
    /// in <paramref name="state"/>; the model itself when the state holds no averages (no
    /// averaging, or no step yet). The result shares its tensors with the model and the state:
    /// do not dispose it, and do not use it once they are disposed.
    /// </summary>
    public static TModel Averaged<TModel>(TModel model, OptimizerState state) where TModel : ILayer<TModel>
    {
        if (!state.Tensors.Keys.Any(k => k.StartsWith(AverageSlot + ".", StringComparison.Ordinal))) return model;
        return model.MapParameters((name, p) =>
        {
            // Slot checks that the average fits the parameter; the model shares the state's own tensor.
            using var check = state.Slot(AverageSlot, name, p)
                ?? throw new InvalidOperationException($"WeightAveraging: the state holds averages, but none for parameter '{name}'.");
            return state.Tensors[OptimizerState.Key(AverageSlot, name)];
        });
    }
}
