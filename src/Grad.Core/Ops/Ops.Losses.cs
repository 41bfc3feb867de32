namespace Grad;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy over the batch between logits (B, K) and target distributions (B, K)
    /// (one-hot rows for class labels): −Σ t·log softmax(x) / B. Fused so its gradient is the
    /// classic (softmax(x) − t) / B, which the composed form gives too, but only when each target
    /// row sums to one, a fact the generator cannot know.
    /// </summary>
    [Primitive]
    [Derivative("logits", "g * (Softmax(logits, -1) - targets) / logits.Shape[0]")]
    public static Tensor SoftmaxCrossEntropy(Tensor logits, [NonDifferentiable] Tensor targets)
    {
        OpChecks.Compatible("SoftmaxCrossEntropy", logits, targets);
        OpChecks.Rank("SoftmaxCrossEntropy", logits, 2, "of logits (B, K)");
        if (targets.Shape != logits.Shape)
            throw new ArgumentException($"SoftmaxCrossEntropy: targets {targets.Shape} must have the logits' shape {logits.Shape} (one-hot rows for labels).");
        using var logProbabilities = LogSoftmax(logits, -1);
        using var weighted = targets * logProbabilities;
        using var total = Sum(weighted);
        return total * (-1.0 / logits.Shape[0]);
    }
}
