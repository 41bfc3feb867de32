using Grad.Layers;
using Grad.Optim;
using Grad.Serialization;
using static Grad.Tests.Optim.OptimizerTestModels;

namespace Grad.Tests.Optim;

public class WeightAveragingTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Theory]
    [MemberData(nameof(TestTensors.FloatTypes), MemberType = typeof(TestTensors))]
    public void The_average_starts_at_the_first_step_and_then_blends_with_the_warm_up_decay(DType dtype)
    {
        var averaging = new WeightAveraging(new Sgd(), Decay: 0.9);
        var (model, state) = averaging.Step(backend.Model(dtype), backend.FirstGradient(dtype), OptimizerState.Initial, 1);
        // p1 = p − g = [0.9, −1.8, 2.7, 0.1], and the first average is p1 itself.
        TestTensors.AssertClose([0.9, -1.8, 2.7, 0.1], Flat(model), Tolerance(dtype));
        TestTensors.AssertClose([0.9, -1.8, 2.7, 0.1], Slot(state, WeightAveraging.AverageSlot), Tolerance(dtype));

        (model, state) = averaging.Step(model, backend.SecondGradient(dtype), state, 1);
        // p2 = p1 − g2 = [1.2, −1.9, 2.5, 0.05]; at t = 2 the decay is min(0.9, 3/12) = 0.25:
        // a2 = 0.25·p1 + 0.75·p2 = [1.125, −1.875, 2.55, 0.0625].
        TestTensors.AssertClose([1.2, -1.9, 2.5, 0.05], Flat(model), Tolerance(dtype));
        TestTensors.AssertClose([1.125, -1.875, 2.55, 0.0625], Slot(state, WeightAveraging.AverageSlot), Tolerance(dtype));
        Assert.Equal(2, state.Step);
    }

    [Fact]
    public void Past_the_warm_up_the_decay_is_the_one_given()
    {
        // At t = 2 the warm-up bound is 0.25; a decay of 0.1 is below it: a2 = 0.1·p1 + 0.9·p2.
        var averaging = new WeightAveraging(new Sgd(), Decay: 0.1);
        var (model, state) = averaging.Step(backend.Model(DType.Float64), backend.FirstGradient(DType.Float64), OptimizerState.Initial, 1);
        (_, state) = averaging.Step(model, backend.SecondGradient(DType.Float64), state, 1);
        TestTensors.AssertClose([1.17, -1.89, 2.52, 0.055], Slot(state, WeightAveraging.AverageSlot), 1e-13);
    }

    [Fact]
    public void Training_is_the_wrapped_optimisers_bit_for_bit_and_its_slots_are_kept()
    {
        var adam = new Adam(WeightDecay: 0.01);
        var (plain, plainState) = adam.Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        (plain, plainState) = adam.Step(plain, backend.SecondGradient(DType.Float32), plainState, 0.1);

        var averaging = new WeightAveraging(adam, 0.99);
        var (model, state) = averaging.Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        (model, state) = averaging.Step(model, backend.SecondGradient(DType.Float32), state, 0.1);

        Assert.Equal(Flat(plain), Flat(model));
        Assert.Equal(["average.B", "average.W", "m.B", "m.W", "v.B", "v.W"], state.Tensors.Keys);
        Assert.Equal(Slot(plainState, Adam.FirstMomentSlot), Slot(state, Adam.FirstMomentSlot));
        Assert.Equal(Slot(plainState, Adam.SecondMomentSlot), Slot(state, Adam.SecondMomentSlot));
    }

    [Fact]
    public void Averaged_puts_the_averages_in_place_of_the_parameters()
    {
        var averaging = new WeightAveraging(new Sgd(), 0.9);
        var network = new Sequential(backend.Model(DType.Float64), new ReLU());
        Assert.Same(network, WeightAveraging.Averaged(network, OptimizerState.Initial));

        var (model, state) = averaging.Step(network, new Sequential(backend.FirstGradient(DType.Float64), new ReLU()), OptimizerState.Initial, 1);
        (model, state) = averaging.Step(model, new Sequential(backend.SecondGradient(DType.Float64), new ReLU()), state, 1);
        var averaged = WeightAveraging.Averaged(model, state);

        Assert.Equal(["0.W", "0.B"], averaged.Parameters().Select(p => p.Name));
        Assert.Same(state.Tensors["average.0.W"], averaged.Parameters().First().Value);
        TestTensors.AssertClose([1.125, -1.875, 2.55, 0.0625], averaged.Parameters().SelectMany(p => TestTensors.Values(p.Value)).ToArray(), 1e-13);
        // The model it came from is untouched.
        TestTensors.AssertClose([1.2, -1.9, 2.5, 0.05], model.Parameters().SelectMany(p => TestTensors.Values(p.Value)).ToArray(), 1e-13);
    }

    [Fact]
    public void A_plain_optimisers_state_evaluates_the_model_itself()
    {
        var (model, state) = new Adam().Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        Assert.Same(model, WeightAveraging.Averaged(model, state));
    }

    [Fact]
    public void A_donated_step_matches_the_functional_one_and_reuses_the_averages_memory()
    {
        var averaging = new WeightAveraging(new Adam(), 0.9);
        var (expected, expectedState) = averaging.Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        (expected, expectedState) = averaging.Step(expected, backend.SecondGradient(DType.Float32), expectedState, 0.1);

        var model = backend.Model(DType.Float32);
        var (next, state) = averaging.Step(model, backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1, donate: true);
        // The first average is a copy: the parameter it was made from is written over next.
        Assert.NotSame(next.W.Storage, state.Tensors["average.W"].Storage);
        var (last, lastState) = averaging.Step(next, backend.SecondGradient(DType.Float32), state, 0.1, donate: true);
        Assert.Same(state.Tensors["average.W"].Storage, lastState.Tensors["average.W"].Storage);

        Assert.Equal(Flat(expected), Flat(last));
        Assert.Equal(Slot(expectedState, WeightAveraging.AverageSlot), Slot(lastState, WeightAveraging.AverageSlot));
    }

    [Fact]
    public void A_checkpoint_carries_the_averages()
    {
        var averaging = new WeightAveraging(new Adam(), 0.9);
        var (model, state) = averaging.Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        string path = Path.Combine(Path.GetTempPath(), $"grad-averages-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, model, state);
            var loaded = Checkpoint.Load(path, backend.Model(DType.Float32));
            Assert.Equal(state.Tensors.Keys, loaded.Optimizer.Tensors.Keys);
            Assert.Equal(Slot(state, WeightAveraging.AverageSlot), Slot(loaded.Optimizer, WeightAveraging.AverageSlot));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_decay_outside_zero_to_one_is_refused(double decay)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WeightAveraging(new Sgd(), decay).Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1));
        Assert.Contains("Decay must lie in [0, 1)", error.Message);
    }
}
