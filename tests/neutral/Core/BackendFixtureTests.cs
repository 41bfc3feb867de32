using Grad.Layers;
using Grad.Optim;

namespace Grad.Tests.Core;

/// <summary>The plumbing of the neutral suite: what the fixture makes lives on the fixture's
/// backend, and so does everything computed from it, so a neutral test tests that backend.</summary>
public class BackendFixtureTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private void OnTheBackend(Tensor t, string what) =>
        Assert.True(ReferenceEquals(backend.Backend, t.Backend), $"{what} is on {t.Backend.Name}, not on {backend.Backend.Name}");

    [Fact]
    public void Every_factory_makes_tensors_on_the_fixtures_backend()
    {
        var made = new (string What, Tensor Tensor)[]
        {
            ("FromArray", backend.FromArray(new[] { 1, 2 }, 2)),
            ("Make float32", backend.Make(DType.Float32, [1, 2, 3], 3)),
            ("Make float64", backend.Make(DType.Float64, [1, 2, 3], 3)),
            ("Zeros", backend.Zeros([2, 2])),
            ("Ones", backend.Ones([2], DType.Float64)),
            ("Full", backend.Full([2], 7)),
            ("Scalar", backend.Scalar(3)),
            ("Normal", backend.Normal([4], seed: 1)),
            ("Random", backend.Random([4], seed: 2)),
        };
        foreach (var (what, t) in made)
            using (t) OnTheBackend(t, what);
    }

    [Fact]
    public void Ops_layers_and_optimisers_keep_their_results_on_that_backend()
    {
        using var x = backend.Random([4, 3], seed: 1);
        using var sum = Ops.Sum(Ops.Exp(x) * 2.0 + x, axis: 0);
        using var product = Ops.MatMul(x, x.T);
        using var view = x.T.Contiguous();
        OnTheBackend(sum, "an element-wise chain and a reduction");
        OnTheBackend(product, "a matrix product");
        OnTheBackend(view, "a copied view");

        var layer = backend.On(Linear.Create(3, 2, seed: 2, DType.Float64));
        Assert.All(layer.Parameters(), p => OnTheBackend(p.Value, $"parameter {p.Name}"));
        var (y, tape, _) = layer.Train(x);
        var (dx, gradient) = layer.Backward(tape, y);
        OnTheBackend(dx, "the input gradient");
        Assert.All(gradient.Parameters(), p => OnTheBackend(p.Value, $"gradient {p.Name}"));
        var (next, state) = new Adam().Step(layer, gradient, OptimizerState.Initial, 0.1);
        Assert.All(next.Parameters(), p => OnTheBackend(p.Value, $"stepped {p.Name}"));
        Assert.All(state.Tensors, slot => OnTheBackend(slot.Value, $"state {slot.Key}"));

        var bn = backend.On(BatchNorm.Create(3, DType.Float64));
        Assert.All(bn.States(), s => OnTheBackend(s.Value, $"state {s.Name}"));
    }
}
