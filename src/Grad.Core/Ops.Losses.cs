using System.ComponentModel;

namespace Grad;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy over the batch between logits (B, K) and targets, −Σ t·log softmax(x) / B.
    /// The targets are either distributions (B, K) in the logits' dtype (one-hot rows for class
    /// labels) or (B,) int32 class indices, which count as their one-hot rows (PyTorch's
    /// <c>cross_entropy(x, indices)</c>): both forms give the same loss and gradient. Fused so its
    /// gradient is the classic (softmax(x) − t) / B, which the composed form gives too, but only
    /// when each target row sums to one, a fact the generator cannot know.
    /// </summary>
    [Primitive]
    [Derivative("logits", "g * (Softmax(logits, -1) - TargetRows(targets, logits)) / logits.Shape[0]")]
    public static Tensor SoftmaxCrossEntropy(Tensor logits, [NonDifferentiable] Tensor targets)
    {
        using var rows = TargetRows(targets, logits);
        using var logProbabilities = LogSoftmax(logits, -1);
        using var weighted = rows * logProbabilities;
        using var total = Sum(weighted);
        return total * (-1.0 / logits.Shape[0]);
    }

    /// <summary>
    /// The targets of <see cref="SoftmaxCrossEntropy"/> as (B, K) rows in the logits' dtype, for
    /// its forward and its derivative rule: (B,) int32 class indices one-hot encoded, rows as they
    /// are. Either way a tensor the caller owns (rows given are a new reference, not a copy).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static Tensor TargetRows(Tensor targets, Tensor logits)
    {
        const string op = nameof(SoftmaxCrossEntropy);
        OpChecks.Rank(op, logits, 2, "of logits (B, K)");
        OpChecks.FloatingPoint(op, logits);
        OpChecks.SameDevice(op, logits, targets);
        int batch = logits.Shape[0], classes = logits.Shape[1];
        if (targets.DType == DType.Int32)
        {
            if (targets.Rank != 1 || targets.Shape[0] != batch)
                throw new ArgumentException($"{op}: int32 targets are class indices of shape (B,) = ({batch},) for logits {logits.Shape}, got {targets.Shape} (one-hot rows must be {logits.DType.Name()}).");
            CheckClassIndices(op, targets, classes, $" (class indices {targets.Shape} for logits {logits.Shape})");
            return targets.Backend.OneHot(targets, classes, logits.DType);
        }
        OpChecks.SameDType(op, logits, targets);
        if (targets.Shape != logits.Shape)
            throw new ArgumentException($"{op}: targets {targets.Shape} must have the logits' shape {logits.Shape} (one-hot rows), or be ({batch},) int32 class indices.");
        return targets.Alias();
    }
}
