using Grad;
using Grad.Data;
using Grad.Layers;
using Grad.Training;
using static Grad.Ops;

namespace GradTrainer;

/// <summary>Mean cross-entropy and accuracy of the model in eval mode on the first images of a split.</summary>
public static class Evaluation
{
    private const int BatchSize = 500;

    public static (double Loss, double Accuracy) Score(Sequential model, ImageDataset split, int images)
    {
        var batches = new BatchIterator(split, BatchSize, BatchOptions.Sequential with { Flatten = true });
        double lossSum = 0;
        int correct = 0, seen = 0;
        foreach (var batch in batches.Epoch(0))
        {
            using var scope = TensorScope.Begin();   // releases this batch's logits and one-hot targets
            using (batch)
            {
                var logits = model.Eval(batch.Images);
                var loss = SoftmaxCrossEntropy(logits, OneHot(batch.Labels, logits.Shape[1], logits.DType));
                lossSum += loss.Item() * batch.Count;
                correct += Classification.Correct(logits, batch.Labels);
                seen += batch.Count;
            }
            if (seen >= images) break;
        }
        return (lossSum / seen, (double)correct / seen);
    }
}
