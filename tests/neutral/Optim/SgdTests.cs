using Grad.Optim;
using static Grad.Tests.Optim.OptimizerTestModels;

namespace Grad.Tests.Optim;

public class SgdTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Theory]
    [MemberData(nameof(TestTensors.FloatTypes), MemberType = typeof(TestTensors))]
    public void Plain_sgd_moves_against_the_gradient_and_keeps_no_state(DType dtype)
    {
        var (model, state) = new Sgd().Step(backend.Model(dtype), backend.FirstGradient(dtype), OptimizerState.Initial, 0.1);
        // p − 0.1·g: 1 − 0.01, −2 + 0.02, 3 − 0.03, 0.5 − 0.04
        TestTensors.AssertClose([0.99, -1.98, 2.97, 0.46], Flat(model), Tolerance(dtype));
        Assert.Empty(state.Tensors);
        Assert.Equal(1, state.Step);
        Assert.Equal(dtype, model.W.DType);

        (model, state) = new Sgd().Step(model, backend.SecondGradient(dtype), state, 0.1);
        TestTensors.AssertClose([1.02, -1.99, 2.95, 0.455], Flat(model), Tolerance(dtype));
        Assert.Equal(2, state.Step);
    }

    [Theory]
    [MemberData(nameof(TestTensors.FloatTypes), MemberType = typeof(TestTensors))]
    public void Momentum_and_weight_decay_follow_pytorch(DType dtype)
    {
        var sgd = new Sgd(Momentum: 0.9, WeightDecay: 0.01);
        var (model, state) = sgd.Step(backend.Model(dtype), backend.FirstGradient(dtype), OptimizerState.Initial, 0.1);
        // g' = g + 0.01·p = [0.11, −0.22, 0.33, 0.405]; v = g'; p − 0.1·v
        TestTensors.AssertClose([0.11, -0.22, 0.33, 0.405], Slot(state, Sgd.VelocitySlot), Tolerance(dtype));
        TestTensors.AssertClose([0.989, -1.978, 2.967, 0.4595], Flat(model), Tolerance(dtype));

        (model, state) = sgd.Step(model, backend.SecondGradient(dtype), state, 0.1);
        // g' = [−0.3 + 0.00989, 0.1 − 0.01978, 0.2 + 0.02967, 0.05 + 0.004595]
        // v = 0.9·v + g' = [−0.19111, −0.11778, 0.52667, 0.419095]; p − 0.1·v
        TestTensors.AssertClose([-0.19111, -0.11778, 0.52667, 0.419095], Slot(state, Sgd.VelocitySlot), Tolerance(dtype));
        TestTensors.AssertClose([1.008111, -1.966222, 2.914333, 0.4175905], Flat(model), Tolerance(dtype));
        Assert.Equal(2, state.Step);
    }

    [Fact]
    public void Weight_decay_alone_shrinks_the_parameters_by_lr_times_wd()
    {
        var zero = backend.Layer(DType.Float64, [0, 0, 0], [0]);
        var (model, _) = new Sgd(WeightDecay: 0.5).Step(backend.Model(DType.Float64), zero, OptimizerState.Initial, 0.1);
        TestTensors.AssertClose([0.95, -1.9, 2.85, 0.475], Flat(model), 1e-15); // p·(1 − 0.1·0.5)
    }

    [Fact]
    public void Momentum_keeps_moving_when_the_gradient_vanishes()
    {
        var sgd = new Sgd(Momentum: 0.5);
        var (model, state) = sgd.Step(backend.Model(DType.Float64), backend.FirstGradient(DType.Float64), OptimizerState.Initial, 1);
        var zero = backend.Layer(DType.Float64, [0, 0, 0], [0]);
        (model, _) = sgd.Step(model, zero, state, 1);
        // Step 1: p − g = [0.9, −1.8, 2.7, 0.1]; step 2: v = 0.5·g, p − v.
        TestTensors.AssertClose([0.85, -1.7, 2.55, -0.1], Flat(model), 1e-15);
    }

    [Fact]
    public void The_inputs_are_left_unchanged()
    {
        var model = backend.Model(DType.Float64);
        var (_, state) = new Sgd(Momentum: 0.9).Step(model, backend.FirstGradient(DType.Float64), OptimizerState.Initial, 0.1);
        var velocity = state.Tensors["velocity.W"].ToArray<double>();
        new Sgd(Momentum: 0.9).Step(model, backend.SecondGradient(DType.Float64), state, 0.1);
        Assert.Equal([1, -2, 3, 0.5], Flat(model));
        Assert.Equal(velocity, state.Tensors["velocity.W"].ToArray<double>());
    }

    [Fact]
    public void A_gradient_of_another_shape_is_refused_by_name()
    {
        var wrong = backend.Layer(DType.Float32, [0.1, 0.2], [0.4]);
        var e = Assert.Throws<ArgumentException>(() => new Sgd().Step(backend.Model(DType.Float32), wrong, OptimizerState.Initial, 0.1));
        Assert.Equal("Sgd: the gradient of 'W' is float32 (1, 2) but the parameter is float32 (1, 3).", e.Message);
    }

    [Fact]
    public void A_negative_learning_rate_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Sgd().Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, -0.1));
    }
}
