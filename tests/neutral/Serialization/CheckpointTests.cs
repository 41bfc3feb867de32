using Grad.Layers;
using Grad.Optim;
using Grad.Serialization;
using static Grad.Ops;

namespace Grad.Tests.Serialization;

public sealed class CheckpointTests(BackendFixture backend) : IClassFixture<BackendFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Sequential Model(ulong seed) => new(
        backend.On(Linear.Create(3, 4, seed)), backend.On(BatchNorm.Create(4)), new ReLU(), backend.On(Linear.Create(4, 2, seed + 10)));

    /// <summary>A few Adam steps on a fixed batch, so that parameters, running statistics and
    /// both moments all hold values a fresh model does not.</summary>
    private (Sequential Model, OptimizerState State) Trained(int steps, Sequential model, OptimizerState state)
    {
        using var x = backend.Normal([8, 3], 0, 1, seed: 5);
        using var labels = backend.FromArray(new[] { 0, 1, 1, 0, 1, 0, 0, 1 }, 8);
        using var targets = OneHot(labels, 2);
        var adam = new Adam(WeightDecay: 1e-4);
        for (int i = 0; i < steps; i++)
        {
            var (logits, tape, next) = model.Train(x);
            var (_, lossTape, _) = new CrossEntropy().Train(logits, targets);
            using var one = backend.Scalar(1.0);
            var (dLogits, _) = new CrossEntropy().Backward(lossTape, one);
            var (_, gradient) = next.Backward(tape, dLogits);
            tape.Dispose();
            lossTape.Dispose();
            (model, state) = adam.Step(next, gradient, state, 0.01);
        }
        return (model, state);
    }

    /// <summary>The same names and bits, on the backend under test (a checkpoint loads onto the template's).</summary>
    private void BitForBit(IEnumerable<NamedTensor> expected, IEnumerable<NamedTensor> actual)
    {
        var a = actual.ToList();
        Assert.Equal(expected.Select(t => t.Name), a.Select(t => t.Name));
        foreach (var (e, t) in expected.Zip(a))
        {
            Assert.Same(backend.Backend, t.Value.Backend);
            Assert.Equal(e.Value.Shape, t.Value.Shape);
            Assert.Equal(e.Value.ToArray<float>().Select(BitConverter.SingleToInt32Bits), t.Value.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Resuming_restores_model_and_optimizer_bit_for_bit()
    {
        var (model, state) = Trained(3, Model(1), OptimizerState.Initial);
        var path = _temp.Combine("run.ckpt");
        Checkpoint.Save(path, model, state, new Dictionary<string, string> { ["seed"] = "1", ["epoch"] = "0" });

        var restored = Checkpoint.Load(path, Model(seed: 77));
        BitForBit(ModelTensors.All(model), ModelTensors.All(restored.Model));
        BitForBit(state.Named(), restored.Optimizer.Named());
        Assert.Equal(3, restored.Optimizer.Step);
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "0", ["seed"] = "1" }, restored.Metadata);
        Assert.Contains("optimizer.m.3.W", SafeTensors.Load(path).ByName.Keys);
        Assert.Equal("3", SafeTensors.Load(path).Metadata[Checkpoint.StepKey]);

        // Two more steps from either side end in the same bits.
        var (straight, straightState) = Trained(2, model, state);
        var (resumed, resumedState) = Trained(2, restored.Model, restored.Optimizer);
        BitForBit(ModelTensors.All(straight), ModelTensors.All(resumed));
        BitForBit(straightState.Named(), resumedState.Named());
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_previous_checkpoint_intact()
    {
        var path = _temp.Combine("run.ckpt");
        var (model, state) = Trained(1, Model(1), OptimizerState.Initial);
        Checkpoint.Save(path, model, state);
        var before = File.ReadAllBytes(path);

        // The last tensor is disposed: the writer has written the header and earlier tensors
        // to the temporary file when reading it throws.
        var (later, laterState) = Trained(1, model, state);
        laterState.Tensors.Values.Last().Dispose();
        Assert.Throws<ObjectDisposedException>(() => Checkpoint.Save(path, later, laterState));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(_temp.OtherFiles("run.ckpt"));
        Assert.Equal(1, Checkpoint.Load(path, Model(2)).Optimizer.Step);
    }

    [Fact]
    public void A_kill_before_the_rename_leaves_only_a_stray_temporary()
    {
        var path = _temp.Combine("run.ckpt");
        File.WriteAllText(path, "previous");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            var temporary = Assert.Single(_temp.OtherFiles("run.ckpt"));
            Assert.StartsWith("run.ckpt.tmp-", temporary);
            throw new IOException("killed");
        }));
        Assert.Equal("killed", e.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_temp.OtherFiles("run.ckpt"));

        AtomicFile.Write(path, stream => stream.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void Optimizer_state_for_a_parameter_the_model_lacks_is_named()
    {
        var (model, state) = Trained(1, Model(1), OptimizerState.Initial);
        var path = _temp.Combine("run.ckpt");
        Checkpoint.Save(path, model, state);
        var pathWithExtra = _temp.Combine("extra.ckpt");
        SafeTensors.Save(pathWithExtra, SafeTensors.Load(path).Tensors.Append(new("optimizer.m.9.W", model.Parameters().First().Value)),
            SafeTensors.Load(path).Metadata);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(pathWithExtra, Model(2)));
        Assert.Contains("checkpoint tensor 'optimizer.m.9.W' is optimizer state for '9.W', which is not a parameter of the model", e.Message);
    }

    [Fact]
    public void A_plain_weights_file_is_not_a_checkpoint()
    {
        var path = _temp.Combine("weights.safetensors");
        ModelTensors.Save(path, Model(1));
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, Model(1)));
        Assert.Contains("has no 'optimizer.step' in its metadata", e.Message);
    }
}
