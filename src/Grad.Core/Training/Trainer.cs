using Grad.Optim;

namespace Grad.Training;

/// <summary>
/// A model, its optimiser and the optimiser's state, trained one batch at a time: the object a
/// training loop holds, as PyTorch's loop holds a module and an optimiser. Each
/// <see cref="Step"/> runs <see cref="TrainingStep.Run"/> and keeps the new model and state; the
/// trainer owns their tensors and releases them on <see cref="Dispose"/>.
/// </summary>
/// <example>
/// <code>
/// using var trainer = new Trainer&lt;Sequential&gt;(model, new Adam(), new CrossEntropyLoss());
/// foreach (var batch in batches.Epoch(0))
/// {
///     using (batch)
///     {
///         var step = trainer.Step(batch.Images, batch.Labels, schedule.At(trainer.State.Step));
///         using var logits = step.Output;
///         if (!step.Updated) throw new InvalidOperationException($"the loss became {step.Loss}");
///         correct += Classification.Correct(logits, batch.Labels);
///     }
/// }
/// Checkpoint.Save("run.ckpt", trainer.Model, trainer.State);
/// </code>
/// </example>
public sealed class Trainer<TModel> : IDisposable where TModel : ILayer<TModel>
{
    private bool _disposed;

    /// <summary>Takes over <paramref name="model"/> and <paramref name="state"/> (a checkpoint's, to
    /// resume; <see cref="OptimizerState.Initial"/> when null): the trainer disposes their tensors.
    /// They must not belong to a <see cref="TensorScope"/> that closes while the trainer lives.</summary>
    public Trainer(TModel model, IOptimizer optimizer, ILoss loss, OptimizerState? state = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        Model = model;
        Optimizer = optimizer;
        Loss = loss;
        State = state ?? OptimizerState.Initial;
    }

    /// <summary>The model as trained so far. Read it (evaluate, save) between steps, but do not
    /// dispose it or keep it across a step: the next step releases or writes over its tensors.</summary>
    public TModel Model { get; private set; }

    /// <summary>The optimiser's state as of now, with the same rules as <see cref="Model"/>;
    /// its <see cref="OptimizerState.Step"/> counts the updates made, a resumed run's included.</summary>
    public OptimizerState State { get; private set; }

    /// <summary>The update rule of every step.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The loss every step minimises.</summary>
    public ILoss Loss { get; }

    /// <summary>One step on one batch. A NaN or infinite loss leaves <see cref="Model"/> and
    /// <see cref="State"/> as they were, and says so with <c>Updated</c> false. The result's
    /// <c>Output</c> is the caller's to dispose; its model and state are <see cref="Model"/> and
    /// <see cref="State"/>, still the trainer's.</summary>
    public TrainingStepResult<TModel> Step(Tensor input, Tensor targets, double learningRate)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = TrainingStep.Run(Model, State, Optimizer, Loss, input, targets, learningRate);
        (Model, State) = (result.Model, result.State);
        return result;
    }

    /// <summary>Releases the model's parameters and [State] tensors and the optimiser's state.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in TrainingStep.Tensors(Model, State)) tensor.Dispose();
    }
}
