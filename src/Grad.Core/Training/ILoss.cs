namespace Grad.Training;

/// <summary>
/// A loss for <see cref="TrainingStep"/> and <see cref="Trainer{TModel}"/>: the batch's loss and its
/// gradient with respect to the model's output, in one call (PyTorch's <c>loss = crit(y, t)</c>
/// followed by the part of <c>loss.backward()</c> that ends at <c>y</c>).
/// </summary>
/// <remarks>
/// A loss declared as a [Layer] with a [Forward] of two inputs (the output and a [NoGrad] target)
/// implements this in a few lines: its generated <c>Train</c> gives the loss and a tape, and its
/// <c>Backward</c> from a seed of one gives the output's gradient (see <see cref="CrossEntropyLoss"/>).
/// </remarks>
public interface ILoss
{
    /// <summary>The loss of <paramref name="output"/> against <paramref name="targets"/>, as a
    /// one-element tensor, and ∂loss/∂output, shaped like <paramref name="output"/>. Both are new
    /// tensors that the caller owns (dispose them, or let an enclosing <see cref="TensorScope"/> do
    /// so); neither input is disposed or changed.</summary>
    (Tensor Loss, Tensor OutputGradient) Evaluate(Tensor output, Tensor targets);
}
