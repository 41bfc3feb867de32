using Grad.Layers;
using Grad.Serialization;

namespace Grad.Tests.Serialization;

public sealed class ModelTensorsTests(BackendFixture backend) : IClassFixture<BackendFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Sequential Model(int hidden, ulong seed, DType dtype = DType.Float32) => new(
        backend.On(Linear.Create(3, hidden, seed, dtype)), backend.On(BatchNorm.Create(hidden, dtype)),
        new ReLU(), backend.On(Linear.Create(hidden, 2, seed + 10, dtype)));

    [Fact]
    public void Parameters_and_states_come_back_into_a_fresh_model()
    {
        var path = _temp.Combine("model.safetensors");
        var saved = Model(4, seed: 1).MapStates((_, s) => s + 0.25); // states that differ from a fresh BatchNorm's
        ModelTensors.Save(path, saved);

        var loaded = ModelTensors.Load(path, Model(4, seed: 99));
        Assert.Equal(ModelTensors.All(saved).Select(t => t.Name), ModelTensors.All(loaded).Select(t => t.Name));
        foreach (var (expected, actual) in ModelTensors.All(saved).Zip(ModelTensors.All(loaded)))
        {
            Assert.Same(backend.Backend, actual.Value.Backend); // loaded onto the template's backend
            Assert.Equal(expected.Value.ToArray<float>(), actual.Value.ToArray<float>());
        }
        Assert.Contains("1.RunningMean", SafeTensors.Load(path).ByName.Keys);
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        var path = _temp.Combine("model.safetensors");
        ModelTensors.Save(path, Model(5, seed: 1));
        var e = Assert.Throws<InvalidDataException>(() => ModelTensors.Load(path, Model(4, seed: 1)));
        Assert.StartsWith($"Checkpoint '{path}' does not fit the model:", e.Message);
        Assert.Contains("checkpoint tensor '0.W' has shape (5, 3) but the model expects (4, 3)", e.Message);
        Assert.Contains("checkpoint tensor '1.RunningVar' has shape (5,) but the model expects (4,)", e.Message);
        Assert.Contains("checkpoint tensor '3.W' has shape (2, 5) but the model expects (2, 4)", e.Message);
    }

    [Fact]
    public void Missing_and_unexpected_tensors_are_named()
    {
        var path = _temp.Combine("partial.safetensors");
        var model = Model(4, seed: 1);
        SafeTensors.Save(path, ModelTensors.All(model).Where(t => t.Name != "3.B").Append(new("extra.W", model.Parameters().First().Value)));
        var e = Assert.Throws<InvalidDataException>(() => ModelTensors.Load(path, model));
        Assert.Contains("the model expects tensor '3.B' (float32 (2,)) but the checkpoint has none", e.Message);
        Assert.Contains("checkpoint tensor 'extra.W' matches nothing in the model", e.Message);
    }

    [Fact]
    public void A_dtype_mismatch_is_named()
    {
        var path = _temp.Combine("double.safetensors");
        ModelTensors.Save(path, Model(4, seed: 1, DType.Float64));
        var e = Assert.Throws<InvalidDataException>(() => ModelTensors.Load(path, Model(4, seed: 1)));
        Assert.Contains("checkpoint tensor '0.W' is float64 but the model expects float32", e.Message);
    }
}
