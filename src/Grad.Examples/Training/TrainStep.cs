using Grad.Examples.Models;
using Grad.Layers;
using Grad.Optim;
using static Grad.Ops;

namespace Grad.Examples.Training;

/// <summary>The outcome of one step: the new model and optimiser state, the batch's loss and
/// how many of its predictions were right. On a non-finite loss the inputs are returned unchanged.</summary>
public readonly record struct StepResult(Sequential Model, OptimizerState Optimizer, double Loss, int Correct);

/// <summary>
/// One optimisation step: forward, softmax cross-entropy, the generated backward (parameters
/// only for the first layer), and the optimiser's update. Its intermediates live in a
/// <see cref="TensorScope"/>; only the new parameters, running statistics and optimiser state
/// outlive it, and what they replaced goes back to the pool.
/// </summary>
public static class TrainStep
{
    private static readonly CrossEntropy Loss = new();

    public static StepResult Run(Sequential model, OptimizerState state, IOptimizer optimizer, double learningRate, Tensor images, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        var targets = OneHot(labels, ModelFactory.Classes, images.DType);
        var (logits, tape, next) = model.Train(images);
        using (tape)
        {
            var (loss, lossTape, _) = Loss.Train(logits, targets);
            using (lossTape)
            {
                double value = loss.Item();
                if (!double.IsFinite(value)) return new StepResult(model, state, value, 0);
                int correct = Evaluator.Correct(logits, labels);
                var (dLogits, _) = Loss.Backward(lossTape, Tensor.Scalar(1, logits.DType));
                var gradient = next.BackwardParameters(tape, dLogits);
                // The old parameters and state are released below, so the step may write over them.
                var (updated, updatedState) = optimizer.Step(next, gradient, state, learningRate, donate: true);
                foreach (var t in updated.Parameters().Concat(updated.States()).Concat(updatedState.Named())) scope.Detach(t.Value);
                Release(model, state, next);
                return new StepResult(updated, updatedState, value, correct);
            }
        }
    }

    /// <summary>Hands back to the pool what the step replaced, which no scope owns: the old
    /// parameters, the old optimiser state, and running statistics the step updated.</summary>
    private static void Release(Sequential old, OptimizerState oldState, Sequential next)
    {
        foreach (var p in old.Parameters()) p.Value.Dispose();
        var kept = next.States().Select(s => s.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var s in old.States()) if (!kept.Contains(s.Value)) s.Value.Dispose();
        oldState.Dispose();
    }
}
