using Grad.Layers;
using Grad.Optim;
using static Grad.Tests.Optim.OptimizerTestModels;

namespace Grad.Tests.Optim;

public class AdamTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    [Theory]
    [MemberData(nameof(TestTensors.FloatTypes), MemberType = typeof(TestTensors))]
    public void Two_steps_match_the_hand_computation(DType dtype)
    {
        var adam = new Adam();
        var (model, state) = adam.Step(backend.Model(dtype), backend.FirstGradient(dtype), OptimizerState.Initial, 0.1);
        // t = 1: m = 0.1·g, v = 0.001·g², so m̂ = g, v̂ = g² and p ← p − 0.1·g/(|g| + 1e-8).
        TestTensors.AssertClose([0.01, -0.02, 0.03, 0.04], Slot(state, Adam.FirstMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([1e-5, 4e-5, 9e-5, 16e-5], Slot(state, Adam.SecondMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([0.900000009999999, -1.9000000049999997, 2.900000003333333, 0.4000000024999999], Flat(model), Tolerance(dtype));

        (model, state) = adam.Step(model, backend.SecondGradient(dtype), state, 0.1);
        // t = 2, first element: m = 0.9·0.01 + 0.1·(−0.3) = −0.021; v = 0.999·1e-5 + 0.001·0.09 = 9.999e-5;
        // m̂ = −0.021/0.19, v̂ = 9.999e-5/0.001999; p = 0.9 − 0.1·m̂/(√v̂ + 1e-8) = 0.94941899…
        TestTensors.AssertClose([-0.021, -0.008, 0.047, 0.041], Slot(state, Adam.FirstMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([9.999e-5, 4.996e-5, 12.991e-5, 16.234e-5], Slot(state, Adam.SecondMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([0.9494189911200654, -1.8733663027186758, 2.802964794330103, 0.3242776903027325], Flat(model), Tolerance(dtype));
        Assert.Equal(2, state.Step);
    }

    [Theory]
    [MemberData(nameof(TestTensors.FloatTypes), MemberType = typeof(TestTensors))]
    public void Weight_decay_is_an_L2_term_added_to_the_gradient(DType dtype)
    {
        var adam = new Adam(WeightDecay: 0.1);
        var (model, state) = adam.Step(backend.Model(dtype), backend.FirstGradient(dtype), OptimizerState.Initial, 0.1);
        // g' = g + 0.1·p = [0.2, −0.4, 0.6, 0.45]: the first step is still −0.1·sign(g')·(1 − 1e-8/|g'|).
        TestTensors.AssertClose([0.02, -0.04, 0.06, 0.045], Slot(state, Adam.FirstMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([0.9000000049999998, -1.9000000025, 2.9000000016666667, 0.40000000222222215], Flat(model), Tolerance(dtype));

        (model, state) = adam.Step(model, backend.SecondGradient(dtype), state, 0.1);
        // g' = [−0.3 + 0.09, 0.1 − 0.19, 0.2 + 0.29, 0.05 + 0.04]; m = 0.9·m + 0.1·g'.
        TestTensors.AssertClose([-0.0029999999499999985, -0.04500000002499999, 0.10300000001666665, 0.04950000002222221],
            Slot(state, Adam.FirstMomentSlot), Tolerance(dtype));
        TestTensors.AssertClose([0.9076998029693945, -1.8182875546773098, 2.8010288770459297, 0.319695906825984], Flat(model), Tolerance(dtype));
    }

    [Fact]
    public void State_is_keyed_by_the_dotted_parameter_name()
    {
        var model = new Sequential(backend.Model(DType.Float32), new ReLU());
        var gradient = new Sequential(backend.FirstGradient(DType.Float32), new ReLU());
        var (_, state) = new Adam().Step(model, gradient, OptimizerState.Initial, 1e-3);
        Assert.Equal(["m.0.B", "m.0.W", "v.0.B", "v.0.W"], state.Tensors.Keys);
        Assert.Equal(["optimizer.m.0.B", "optimizer.m.0.W", "optimizer.v.0.B", "optimizer.v.0.W"], state.Named("optimizer.").Select(t => t.Name));
    }

    [Fact]
    public void A_state_from_another_model_is_refused_by_name()
    {
        var (_, state) = new Adam().Step(backend.Model(DType.Float32), backend.FirstGradient(DType.Float32), OptimizerState.Initial, 0.1);
        var wider = backend.Layer(DType.Float32, [1, 2, 3, 4], [0]);
        var e = Assert.Throws<InvalidOperationException>(() => new Adam().Step(wider, wider, state, 0.1));
        Assert.Contains("Optimizer state 'm.W' is float32 (1, 3) but parameter 'W' is float32 (1, 4)", e.Message);
    }

    [Fact]
    public void The_three_output_kernel_is_refused_by_the_single_output_entry_point()
    {
        using var p = backend.Ones([4]);
        var e = Assert.Throws<ArgumentException>(() => Ops.Fused(AdamStep.Instance, [p, p, p, p], new double[8]));
        Assert.Contains("AdamStep: writes 3 outputs; call FusedOutputs", e.Message);
    }

    [Fact]
    public void A_vector_longer_than_a_simd_register_takes_the_same_path_as_its_tail()
    {
        // 19 elements: two 8-wide float vectors and a scalar tail of 3; every element gets the
        // same gradient, so every element must get the same update.
        var values = Enumerable.Repeat(1.0, 19).ToArray();
        var model = backend.Layer(DType.Float32, values, [0]);
        var gradient = backend.Layer(DType.Float32, Enumerable.Repeat(0.25, 19).ToArray(), [0]);
        var (next, state) = new Adam(WeightDecay: 0.01).Step(model, gradient, OptimizerState.Initial, 0.01);
        (next, _) = new Adam(WeightDecay: 0.01).Step(next, gradient, state, 0.01);
        var w = next.W.ToArray<float>();
        Assert.All(w, x => Assert.Equal(w[0], x));
        Assert.NotEqual(1f, w[0]);
    }

    [Fact]
    public void Hyper_parameters_out_of_range_are_refused()
    {
        var (model, g) = (backend.Model(DType.Float32), backend.FirstGradient(DType.Float32));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Beta1: 1).Step(model, g, OptimizerState.Initial, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Epsilon: 0).Step(model, g, OptimizerState.Initial, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(WeightDecay: -1).Step(model, g, OptimizerState.Initial, 0.1));
    }
}
