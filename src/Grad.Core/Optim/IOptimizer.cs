namespace Grad.Optim;

/// <summary>
/// A functional optimiser: one step maps (parameters, gradients, state) to new parameters and a
/// new state, and mutates nothing, so a training loop can keep, compare or checkpoint any of them.
/// </summary>
public interface IOptimizer
{
    /// <summary>
    /// One update of every [Param] tensor of <paramref name="model"/> from the tensor of the same
    /// name in <paramref name="gradient"/> (the layer a backward returns). The learning rate is
    /// an argument, not a setting, so that a schedule can supply it per step.
    /// </summary>
    /// <returns>The model with new parameters (its [State] tensors untouched) and the state to
    /// pass to the next step. The inputs stay valid; dispose them when no longer needed.</returns>
    (TModel Model, OptimizerState State) Step<TModel>(TModel model, TModel gradient, OptimizerState state, double learningRate)
        where TModel : ILayer<TModel>;
}
