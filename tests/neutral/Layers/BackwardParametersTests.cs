using Grad.Layers;

namespace Grad.Tests.Layers;

/// <summary>The parameter-only backward (what the first layer of a network runs) gives exactly
/// the parameter gradients of the full backward.</summary>
public class BackwardParametersTests(BackendFixture backend) : IClassFixture<BackendFixture>
{

    private static void Same(ILayer full, ILayer partial)
    {
        var expected = full.Parameters().ToList();
        var actual = partial.Parameters().ToList();
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i].Value.ToArray<double>(), actual[i].Value.ToArray<double>());
    }

    [Fact]
    public void Linear_conv_and_batch_norm_layers()
    {
        var cases = new (ILayer Layer, Tensor Input)[]
        {
            (new Linear(backend.Random([3, 5], 1), backend.Random([3], 2)), backend.Random([4, 5], 3)),
            (new Conv2d(backend.Random([2, 3, 3, 3], 4), backend.Random([2], 5), 1, 1), backend.Random([2, 3, 5, 5], 6)),
            (new BatchNorm2d(backend.Random([3], 7), backend.Random([3], 8), backend.Zeros([3], DType.Float64), backend.Ones([3], DType.Float64)), backend.Random([2, 3, 4, 4], 9)),
            (new BatchNormManual(backend.Random([5], 10), backend.Random([5], 11), backend.Zeros([5], DType.Float64), backend.Ones([5], DType.Float64)), backend.Random([6, 5], 12)),
        };
        foreach (var (layer, x) in cases)
        {
            var (y, tape, _) = layer.TrainUntyped(x);
            using var g = backend.Random(y.Shape.Dims.ToArray(), 13);
            var (_, full) = layer.BackwardUntyped(tape, g);
            Same(full, layer.BackwardParametersUntyped(tape, g));
        }
    }

    [Fact]
    public void Sequential_skips_only_the_first_layers_input_gradient()
    {
        var model = new Sequential(new Linear(backend.Random([6, 4], 1), backend.Random([6], 2)), new ReLU(), new Linear(backend.Random([2, 6], 3), backend.Random([2], 4)));
        using var x = backend.Random([5, 4], 5);
        var (y, tape, _) = model.Train(x);
        using var g = backend.Random([5, 2], 6);
        var (_, full) = model.Backward(tape, g);
        Same(full, model.BackwardParameters(tape, g));
    }
}
