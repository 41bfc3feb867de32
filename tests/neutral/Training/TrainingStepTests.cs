using Grad.Backends;
using Grad.Layers;
using Grad.Optim;
using Grad.Training;
using static Grad.Ops;

namespace Grad.Tests.Training;

/// <summary>The library's training step: the same numbers as the steps written out by hand, and
/// the ownership protocol (what it keeps, what it releases, what it donates) observed on the
/// tensors' storage: a storage still in use is not released, and one that nobody holds is.</summary>
public class TrainingStepTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    public static TheoryData<string> Optimizers => new() { "sgd", "sgd-momentum", "adam", "adam-averaged" };

    private static IOptimizer Optimizer(string name) => name switch
    {
        "sgd" => new Sgd(),
        "sgd-momentum" => new Sgd(Momentum: 0.9, WeightDecay: 0.01),
        "adam" => new Adam(WeightDecay: 0.01),
        _ => new WeightAveraging(new Adam(), Decay: 0.9),
    };

    /// <summary>Linear, batch norm (running statistics the forward replaces), ReLU, Linear: 6 features, 4 classes.</summary>
    private Sequential Model() =>
        new(backend.On(Linear.Create(6, 5, seed: 1)), backend.On(BatchNorm.Create(5)), new ReLU(), backend.On(Linear.Create(5, 4, seed: 3)));

    private Tensor Input(int step) => backend.Normal([8, 6], seed: (ulong)(100 + step));

    private Tensor Labels(int step) => backend.FromArray(Enumerable.Range(0, 8).Select(i => (i * 3 + step) % 4).ToArray(), 8);

    private static IEnumerable<Tensor> All(Sequential model, OptimizerState state) =>
        model.Parameters().Concat(model.States()).Select(t => t.Value).Concat(state.Tensors.Values);

    private static float[][] Values(Sequential model, OptimizerState state) => All(model, state).Select(t => t.ToArray<float>()).ToArray();

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void The_step_gives_the_numbers_of_the_steps_written_out_by_hand_bit_for_bit(string name)
    {
        var optimizer = Optimizer(name);
        var model = Model();
        var state = OptimizerState.Initial;
        var losses = new List<double>();
        var loss = new CrossEntropy();
        for (int step = 0; step < 3; step++)
        {
            using var scope = TensorScope.Begin();
            using var x = Input(step);
            using var labels = Labels(step);
            // By hand: forward, loss, its gradient, the backward, the update into new tensors.
            var (logits, tape, next) = model.Train(x);
            var (value, lossTape, _) = loss.Train(logits, OneHot(labels, 4));
            var (dLogits, _) = loss.Backward(lossTape, backend.Scalar(1, DType.Float32));
            var (_, gradient) = next.Backward(tape, dLogits);
            tape.Dispose();
            lossTape.Dispose();
            losses.Add(value.Item());
            var (updated, updatedState) = optimizer.Step(next, gradient, state, 0.05);
            foreach (var t in All(updated, updatedState)) scope.Detach(t);
            (model, state) = (updated, updatedState);
        }

        using var trainer = new Trainer<Sequential>(Model(), optimizer, new CrossEntropyLoss());
        for (int step = 0; step < 3; step++)
        {
            using var x = Input(step);
            using var labels = Labels(step);
            var result = trainer.Step(x, labels, 0.05);
            result.Output.Dispose();
            Assert.True(result.Updated);
            Assert.Equal(losses[step], result.Loss);
        }
        Assert.Equal(state.Tensors.Keys, trainer.State.Tensors.Keys);
        Assert.Equal(3, trainer.State.Step);
        Assert.Equal(Values(model, state), Values(trainer.Model, trainer.State));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_step_donates_what_it_replaces_releases_the_rest_and_keeps_the_new_tensors_out_of_every_scope(string name)
    {
        var optimizer = Optimizer(name);
        var (model, state) = (Model(), OptimizerState.Initial);
        using var x = Input(0);
        using var labels = Labels(0);
        for (int step = 0; step < 3; step++)
        {
            var parameters = model.Parameters().Select(t => t.Value).ToArray();
            var statistics = model.States().Select(t => t.Value).ToArray();
            var slots = state.Tensors.ToDictionary(p => p.Key, p => p.Value);
            var parameterStorage = parameters.Select(t => t.Storage).ToArray();
            var statisticStorage = statistics.Select(t => t.Storage).ToArray();
            var slotStorage = slots.ToDictionary(p => p.Key, p => p.Value.Storage);

            TrainingStepResult<Sequential> result;
            Storage output;
            using (TensorScope.Begin())
            {
                result = TrainingStep.Run(model, state, optimizer, new CrossEntropyLoss(), x, labels, 0.05);
                output = result.Output.Storage;
                Assert.False(output.IsReleased);
            }
            // The scope around the step has closed: it took the output, as it takes a forward's; the
            // new model and state are nobody's but the caller's, and the checks below read them.
            Assert.True(output.IsReleased);
            Assert.True(result.Updated);

            // Donated: the new parameters and slots live in the old ones' memory; the old references are disposed.
            var newParameters = result.Model.Parameters().Select(t => t.Value).ToArray();
            for (int i = 0; i < parameters.Length; i++)
            {
                Assert.Same(parameterStorage[i], newParameters[i].Storage);
                Assert.Throws<ObjectDisposedException>(() => parameters[i].Storage);
            }
            foreach (var (key, slot) in slots)
            {
                Assert.Same(slotStorage[key], result.State.Tensors[key].Storage);
                Assert.Throws<ObjectDisposedException>(() => slot.Storage);
            }
            // The running statistics the forward replaced are released, not leaked.
            Assert.All(statisticStorage, storage => Assert.True(storage.IsReleased));
            // The input and the targets stay the caller's.
            Assert.False(x.Storage.IsReleased);
            Assert.False(labels.Storage.IsReleased);

            (model, state) = (result.Model, result.State);
        }
        AssertHeldOnce(All(model, state).ToArray());
    }

    /// <summary>Each tensor is the one reference to its storage, so disposing it releases the storage:
    /// not released before (nobody released it behind its owner's back), released after (nothing leaked an alias).</summary>
    private static void AssertHeldOnce(Tensor[] tensors)
    {
        var storages = tensors.Select(t => t.Storage).ToArray();
        Assert.All(storages, storage => Assert.False(storage.IsReleased));
        foreach (var tensor in tensors) tensor.Dispose();
        Assert.All(storages, storage => Assert.True(storage.IsReleased));
    }

    [Fact]
    public void Disposing_the_trainer_releases_every_tensor_of_its_model_and_state_and_nothing_else()
    {
        using var x = Input(0);
        using var labels = Labels(0);
        var trainer = new Trainer<Sequential>(Model(), new Adam(), new CrossEntropyLoss());
        for (int step = 0; step < 2; step++) AssertHeldOnce([trainer.Step(x, labels, 0.01).Output]);
        Storage[] storages = [.. All(trainer.Model, trainer.State).Select(t => t.Storage)];
        Assert.Equal(6 + 2 + 2 * 6, storages.Length); // parameters, running statistics, Adam's m and v
        Assert.All(storages, storage => Assert.False(storage.IsReleased));
        trainer.Dispose();
        Assert.All(storages, storage => Assert.True(storage.IsReleased));
        Assert.False(x.Storage.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => trainer.Step(x, labels, 0.01));
    }

    [Fact]
    public void A_non_finite_loss_updates_and_releases_nothing_and_says_so()
    {
        var optimizer = new Adam();
        using var trainer = new Trainer<Sequential>(Model(), optimizer, new CrossEntropyLoss());
        using var x = Input(0);
        using var labels = Labels(0);
        trainer.Step(x, labels, 0.01).Output.Dispose();
        var (model, state) = (trainer.Model, trainer.State);
        var before = Values(model, state);

        using var poisoned = backend.FromArray(Enumerable.Repeat(float.NaN, 48).ToArray(), 8, 6);
        var result = trainer.Step(poisoned, labels, 0.01);
        result.Output.Dispose();

        Assert.False(result.Updated);
        Assert.True(double.IsNaN(result.Loss));
        Assert.Same(model, result.Model);
        Assert.Same(state, result.State);
        Assert.Same(model, trainer.Model);
        Assert.Same(state, trainer.State);
        Assert.Equal(before, Values(model, state));   // readable (not disposed) and unchanged, running statistics too
        Assert.Equal(1, trainer.State.Step);
        Assert.True(trainer.Step(x, labels, 0.01).Updated); // and training goes on from there
    }

    [Fact]
    public void Cross_entropy_takes_class_indices_or_one_hot_rows_alike()
    {
        using var logits = backend.Normal([8, 4], seed: 9);
        using var labels = Labels(1);
        using var rows = OneHot(labels, 4);
        var loss = new CrossEntropyLoss();
        var (fromIndices, gradientFromIndices) = loss.Evaluate(logits, labels);
        var (fromRows, gradientFromRows) = loss.Evaluate(logits, rows);
        using (fromIndices) using (fromRows) using (gradientFromIndices) using (gradientFromRows)
        {
            Assert.Equal(fromRows.Item(), fromIndices.Item());
            Assert.Equal(gradientFromRows.ToArray<float>(), gradientFromIndices.ToArray<float>());
            // (softmax(x) − t) / B: each row of the gradient sums to zero.
            var g = gradientFromIndices.ToArray<float>();
            for (int row = 0; row < 8; row++) Assert.Equal(0, g.Skip(row * 4).Take(4).Sum(), 1e-6);
        }
    }

    [Fact]
    public void Correct_counts_the_rows_whose_largest_logit_is_the_label()
    {
        using var logits = backend.FromArray(new float[] { 1, 3, 2, 5, 0, 0, 0, 1, 4 }, 3, 3);
        using var labels = backend.FromArray(new[] { 1, 0, 1 }, 3);
        Assert.Equal(2, Classification.Correct(logits, labels)); // rows pick 1, 0 (the first of a tie), 2
        using var wrong = backend.FromArray(new[] { 1, 0 }, 2);
        Assert.Throws<ArgumentException>(() => Classification.Correct(logits, wrong));
    }
}
