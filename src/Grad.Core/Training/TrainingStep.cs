using Grad.Optim;

namespace Grad.Training;

/// <summary>
/// What one training step gives back.
/// </summary>
/// <param name="Model">The model with the updated [Param] tensors and the [State] tensors that the
/// forward updated (running statistics); the input model itself when <paramref name="Updated"/> is false.</param>
/// <param name="State">The optimiser state for the next step; the input state itself when
/// <paramref name="Updated"/> is false.</param>
/// <param name="Loss">The batch's loss, before the update.</param>
/// <param name="Output">The model's output for the batch (the logits of a classifier), from the
/// parameters before the update, for the caller's metrics (<see cref="Classification.Correct"/>).
/// The caller owns it: dispose it, or let an enclosing <see cref="TensorScope"/> do so.</param>
/// <param name="Updated">False when the loss was NaN or infinite: then nothing was updated,
/// released or donated, and the model and state are the ones passed in, still the caller's.</param>
public readonly record struct TrainingStepResult<TModel>(TModel Model, OptimizerState State, double Loss, Tensor Output, bool Updated)
    where TModel : ILayer<TModel>;

/// <summary>
/// One optimisation step with the ownership protocol done once, for every training loop: the
/// model's training forward, the loss and its gradient, the generated backward (parameter
/// gradients only: the input needs none), and the optimiser's update, donated. PyTorch's
/// <c>opt.zero_grad(); loss = crit(model(x), t); loss.backward(); opt.step()</c>, in Grad's
/// immutable style: the step returns a new model and a new optimiser state.
/// </summary>
/// <remarks>
/// <para>Ownership. The step takes over the model and the state passed in. On an update it
/// donates them to the optimiser (the new parameters and state are written over their memory)
/// and disposes every tensor of theirs that the new model and state no longer hold: the old
/// parameter and state references, running statistics the forward replaced, optimiser tensors
/// not carried over. Every intermediate (the tape, the gradients, the loss) goes back to the pool
/// before the step returns. The new model's and state's tensors belong to no
/// <see cref="TensorScope"/>: the caller owns them, and disposes them when done, or passes them to
/// the next step. So the tensors of a model must not belong to a scope that closes while it trains.</para>
/// <para>A NaN or infinite loss updates nothing: the result has <c>Updated</c> false and the
/// model and state passed in, intact and still the caller's, so a loop can stop, keep its last
/// checkpoint, or retry with a smaller learning rate.</para>
/// <para>The input and targets stay the caller's; the step neither disposes nor changes them.</para>
/// </remarks>
public static class TrainingStep
{
    /// <summary>Trains <paramref name="model"/> on one batch: forward, loss, backward, optimiser update.</summary>
    /// <param name="model">The model to train; taken over by the step (see the remarks on <see cref="TrainingStep"/>).</param>
    /// <param name="state">The optimiser's state: <see cref="OptimizerState.Initial"/> before the first step; taken over too.</param>
    /// <param name="optimizer">The update rule (<see cref="Sgd"/>, <see cref="Adam"/>, <see cref="WeightAveraging"/>, …).</param>
    /// <param name="loss">The loss of the model's output against <paramref name="targets"/>.</param>
    /// <param name="input">The batch's input.</param>
    /// <param name="targets">What the loss compares the output with (class indices, one-hot rows, …).</param>
    /// <param name="learningRate">This step's learning rate (a schedule's <c>At(step)</c>).</param>
    public static TrainingStepResult<TModel> Run<TModel>(TModel model, OptimizerState state, IOptimizer optimizer, ILoss loss,
        Tensor input, Tensor targets, double learningRate) where TModel : ILayer<TModel>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        using var scope = TensorScope.Begin();
        var (output, tape, trained) = model.TrainUntyped(input);
        using (tape)
        {
            scope.Keep(output);
            var (lossTensor, outputGradient) = loss.Evaluate(output, targets);
            double value = lossTensor.Item();
            if (!double.IsFinite(value)) return new(model, state, value, output, Updated: false);
            var next = (TModel)trained;
            var gradient = (TModel)next.BackwardParametersUntyped(tape, outputGradient);
            // The replaced tensors are released below, so the optimiser may write over them.
            var (updated, updatedState) = optimizer.Step(next, gradient, state, learningRate, donate: true);
            var kept = new HashSet<Tensor>(Tensors(updated, updatedState), ReferenceEqualityComparer.Instance);
            foreach (var tensor in kept) scope.Detach(tensor);
            foreach (var tensor in Tensors(model, state))
                if (!kept.Contains(tensor)) tensor.Dispose();
            return new(updated, updatedState, value, output, Updated: true);
        }
    }

    /// <summary>Every tensor a model and its optimiser state hold: parameters, [State] tensors, slots.</summary>
    internal static IEnumerable<Tensor> Tensors<TModel>(TModel model, OptimizerState state) where TModel : ILayer<TModel> =>
        model.Parameters().Concat(model.States()).Select(t => t.Value).Concat(state.Tensors.Values);
}
