using Grad.Layers;
using Grad.Optim;
using Grad.Training;

namespace Grad.Tests.Oracle;

/// <summary>
/// The training cases of the oracle: a few steps of the library's <see cref="Trainer{TModel}"/>
/// (<see cref="TrainingStep"/>: forward, softmax cross-entropy, generated backward, optimiser
/// update), the one the <c>grad</c> trainers use, against PyTorch's
/// <c>loss.backward(); opt.step()</c> from the same float64 parameters on the same batches. Each
/// step's loss and correct count, the parameters and running statistics after every step, and
/// the optimiser's state after the last must agree: no layer, loss scaling, weight-decay or
/// momentum convention may differ from PyTorch's anywhere along the way.
/// </summary>
internal static class OracleTraining
{
    /// <summary>The reference file's name for its training cases (tests/oracle/make_reference.py).</summary>
    public const string Kind = "TrainStep";

    public static void Run(OracleChecker check, BackendFixture backend)
    {
        Assert.Equal(Kind, check.Case.Layer);
        var model = new Sequential(check.ConfigTexts("layers").Select((kind, i) => Layer(check, kind, i)).ToArray());
        double learningRate = check.ConfigDouble("learning_rate");
        int steps = check.Config("steps");
        var labels = check.Case.Labels ?? throw new InvalidOperationException($"case {check.Case.Name}: no labels");
        int batch = labels.Length / steps;

        using var trainer = new Trainer<Sequential>(model, Optimizer(check), new CrossEntropyLoss());
        for (int step = 1; step <= steps; step++)
        {
            using var images = check.Input($"x@{step}");
            using var stepLabels = backend.FromArray(labels[((step - 1) * batch)..(step * batch)], batch);
            var result = trainer.Step(images, stepLabels, learningRate);
            using var logits = result.Output;
            Assert.True(result.Updated);
            Assert.Equal(check.Config("classes"), logits.Shape[1]);
            using var loss = backend.Scalar(result.Loss, DType.Float64);
            using var correct = backend.Scalar(Classification.Correct(logits, stepLabels), DType.Float64);
            check.Compare($"loss@{step}", loss);
            check.Compare($"correct@{step}", correct);
            foreach (var t in trainer.Model.Parameters().Concat(trainer.Model.States())) check.Compare($"{t.Name}@{step}", t.Value);
        }
        foreach (var t in trainer.State.Named()) check.Compare(t.Name, t.Value);
        Assert.Equal(steps, trainer.State.Step);
    }

    private static ILayer Layer(OracleChecker check, string kind, int index) => kind switch
    {
        nameof(Linear) => new Linear(check.Input($"{index}.W@0"), check.Input($"{index}.B@0")),
        nameof(ReLU) => new ReLU(),
        nameof(BatchNorm) => new BatchNorm(check.Input($"{index}.Gamma@0"), check.Input($"{index}.Beta@0"),
            check.Input($"{index}.RunningMean@0"), check.Input($"{index}.RunningVar@0"),
            check.ConfigDouble("eps"), check.ConfigDouble("bn_momentum")),
        _ => throw new InvalidOperationException($"case {check.Case.Name}: no Grad layer for '{kind}'"),
    };

    private static IOptimizer Optimizer(OracleChecker check) => check.ConfigText("optimizer") switch
    {
        "adam" => new Adam(WeightDecay: check.ConfigDouble("weight_decay")),
        "sgd" => new Sgd(check.ConfigDouble("momentum"), check.ConfigDouble("weight_decay")),
        var other => throw new InvalidOperationException($"case {check.Case.Name}: unknown optimizer '{other}'"),
    };
}
