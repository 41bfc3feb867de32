using Grad.Data;
using Grad.Layers;
using Grad.Training;
using static Grad.Ops;

namespace Grad.Examples.Training;

/// <summary>Loss and accuracy over a whole split in eval mode (batch-norm running statistics).</summary>
public static class Evaluator
{
    public const int BatchSize = 500;

    public static (double Loss, double Accuracy) Evaluate(Sequential model, ImageDataset data, bool flatten)
    {
        var batches = new BatchIterator(data, BatchSize, BatchOptions.Sequential with { Flatten = flatten });
        double lossSum = 0;
        int correct = 0;
        foreach (var batch in batches.Epoch(0))
        {
            using var scope = TensorScope.Begin();
            using (batch)
            {
                var logits = model.Eval(batch.Images);
                var (loss, hits) = Score(logits, batch.Labels);
                lossSum += loss * batch.Count;
                correct += hits;
            }
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Mean cross-entropy of a batch, and how many of its predictions are right.</summary>
    public static (double Loss, int Correct) Score(Tensor logits, Tensor labels)
    {
        using var targets = OneHot(labels, logits.Shape[1], logits.DType);
        using var loss = SoftmaxCrossEntropy(logits, targets);
        return (loss.Item(), Classification.Correct(logits, labels));
    }
}
