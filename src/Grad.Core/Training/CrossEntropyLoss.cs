using Grad.Layers;

namespace Grad.Training;

/// <summary>
/// Softmax cross-entropy over logits (B, K), averaged over the batch: the <see cref="CrossEntropy"/>
/// layer and its generated backward, (softmax(x) − t) / B. Like PyTorch's <c>CrossEntropyLoss</c>,
/// the targets are either class indices, int32 (B,), or one-hot or probability rows (B, K) of the
/// logits' dtype.
/// </summary>
public sealed record CrossEntropyLoss : ILoss
{
    private static readonly CrossEntropy Layer = new();

    /// <inheritdoc/>
    public (Tensor Loss, Tensor OutputGradient) Evaluate(Tensor output, Tensor targets)
    {
        using var scope = TensorScope.Begin();
        var rows = targets.DType == DType.Int32 ? OneHot(targets, output.Shape[^1], output.DType) : targets;
        var (loss, tape, _) = Layer.Train(output, rows);
        using (tape)
        {
            var (outputGradient, _) = Layer.Backward(tape, Tensor.Scalar(1, output.DType, output.Backend));
            return (scope.Keep(loss), scope.Keep(outputGradient));
        }
    }
}
