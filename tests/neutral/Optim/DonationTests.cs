using Grad.Layers;
using Grad.Optim;
using static Grad.Tests.Optim.OptimizerTestModels;

namespace Grad.Tests.Optim;

/// <summary>A donated step writes over the parameters and state it replaces, and must give the
/// same numbers as a step into new tensors.</summary>
public class DonationTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    public static TheoryData<string> Optimizers => new() { "adam", "sgd", "sgd-momentum" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_donated_step_writes_over_its_inputs_and_matches_the_functional_step(string name)
    {
        IOptimizer optimizer = name switch
        {
            "adam" => new Adam(WeightDecay: 0.01),
            "sgd" => new Sgd(WeightDecay: 0.01),
            _ => new Sgd(Momentum: 0.9, WeightDecay: 0.01),
        };
        var (expected, expectedState) = TwoSteps(optimizer, donate: false);

        var model = backend.Model(DType.Float32);
        var (next, state) = optimizer.Step(model, backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1, donate: true);
        Assert.Same(model.W.Storage, next.W.Storage);
        // The caller drops the old references, as a training loop does; the memory lives on in the new ones.
        foreach (var p in model.Parameters()) p.Value.Dispose();
        var (last, lastState) = optimizer.Step(next, backend.SecondGradient(DType.Float32), state, 0.1, donate: true);
        foreach (var (key, tensor) in state.Tensors) Assert.Same(tensor.Storage, lastState.Tensors[key].Storage);
        foreach (var p in next.Parameters()) p.Value.Dispose();
        state.Dispose();

        Assert.Equal(Flat(expected), Flat(last));
        Assert.Equal(expectedState.Tensors.Keys, lastState.Tensors.Keys);
        foreach (var (key, tensor) in expectedState.Tensors) Assert.Equal(tensor.ToArray<float>(), lastState.Tensors[key].ToArray<float>());
    }

    private (Linear Model, OptimizerState State) TwoSteps(IOptimizer optimizer, bool donate)
    {
        var (model, state) = optimizer.Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1, donate);
        return optimizer.Step(model, backend.SecondGradient(DType.Float32), state, 0.1, donate);
    }
}
