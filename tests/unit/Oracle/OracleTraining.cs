using Grad.Examples.Training;
using Grad.Layers;
using Grad.Optim;

namespace Grad.Tests.Unit.Oracle;

/// <summary>
/// The training cases of the oracle: a few steps of the trainers' own <see cref="TrainStep"/>
/// (forward, softmax cross-entropy, generated backward, optimiser update) against PyTorch's
/// <c>loss.backward(); opt.step()</c> from the same float64 parameters on the same batches. Each
/// step's loss and correct count, the parameters and running statistics after every step, and
/// the optimiser's state after the last must agree: no layer, loss scaling, weight-decay or
/// momentum convention may differ from PyTorch's anywhere along the way.
/// </summary>
internal static class OracleTraining
{
    public static void Run(OracleChecker check)
    {
        Assert.Equal(nameof(TrainStep), check.Case.Layer);
        var model = new Sequential(check.ConfigTexts("layers").Select((kind, i) => Layer(check, kind, i)).ToArray());
        var optimizer = Optimizer(check);
        double learningRate = check.ConfigDouble("learning_rate");
        int steps = check.Config("steps");
        var labels = check.Case.Labels ?? throw new InvalidOperationException($"case {check.Case.Name}: no labels");
        int batch = labels.Length / steps;
        Assert.Equal(10, check.Config("classes")); // TrainStep's one-hot targets are CIFAR-10's

        var state = OptimizerState.Initial;
        for (int step = 1; step <= steps; step++)
        {
            using var images = check.Input($"x@{step}");
            using var stepLabels = Tensor.FromArray(labels[((step - 1) * batch)..(step * batch)], batch);
            var result = TrainStep.Run(model, state, optimizer, learningRate, images, stepLabels);
            (model, state) = (result.Model, result.Optimizer);
            using var loss = Tensor.Scalar(result.Loss, DType.Float64);
            using var correct = Tensor.Scalar(result.Correct, DType.Float64);
            check.Compare($"loss@{step}", loss);
            check.Compare($"correct@{step}", correct);
            foreach (var t in model.Parameters().Concat(model.States())) check.Compare($"{t.Name}@{step}", t.Value);
        }
        foreach (var t in state.Named()) check.Compare(t.Name, t.Value);
        Assert.Equal(steps, state.Step);
        foreach (var t in model.Parameters().Concat(model.States())) t.Value.Dispose();
        state.Dispose();
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
