namespace Grad.Training;

/// <summary>Metrics of a classifier's output, for a training loop's progress and an evaluation.</summary>
public static class Classification
{
    /// <summary>How many rows of <paramref name="logits"/> (B, K) have their largest value (the
    /// first, on ties) at the class that <paramref name="labels"/>, int32 (B,), names.</summary>
    public static int Correct(Tensor logits, Tensor labels)
    {
        if (labels.DType != DType.Int32 || labels.Rank != 1 || logits.Rank != 2 || labels.Shape[0] != logits.Shape[0])
            throw new ArgumentException($"Classification.Correct: labels must be int32 (B,) beside logits (B, K); got {labels.DType.Name()} {labels.Shape} and {logits.Shape}.");
        using var predicted = ArgMax(logits, axis: 1);
        var p = predicted.ToArray<int>();
        var l = labels.ToArray<int>();
        int correct = 0;
        for (int i = 0; i < p.Length; i++) correct += p[i] == l[i] ? 1 : 0;
        return correct;
    }
}
