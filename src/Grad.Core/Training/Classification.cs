namespace Grad.Training;

/// <summary>Metrics of a classifier's output, for a training loop's progress and an evaluation.</summary>
public static class Classification
{
    /// <summary>How many rows of <paramref name="logits"/> (B, K) have their largest value (the
    /// first, on ties) at the class that <paramref name="labels"/>, int32 (B,), names.</summary>
    public static int Correct(Tensor logits, Tensor labels)
    {
        using var count = CorrectCount(logits, labels);
        return (int)count.Item();
    }

    /// <summary><see cref="Correct"/> as a float32 scalar on the logits' device, computed there:
    /// a loop can add the counts of many steps up on a GPU and read the total once, at an evaluation.</summary>
    public static Tensor CorrectCount(Tensor logits, Tensor labels)
    {
        if (labels.DType != DType.Int32 || labels.Rank != 1 || logits.Rank != 2 || labels.Shape[0] != logits.Shape[0])
            throw new ArgumentException($"Classification.Correct: labels must be int32 (B,) beside logits (B, K); got {labels.DType.Name()} {labels.Shape} and {logits.Shape}.");
        using var scope = TensorScope.Begin();
        // Class indices are exact in float32 (below 2²⁴), so comparing them as floats is exact.
        var hits = Equal(ArgMax(logits, axis: 1).To(DType.Float32), labels.To(DType.Float32));
        return scope.Keep(Sum(hits));
    }
}
