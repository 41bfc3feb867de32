using Grad.Data;
using Grad.Datasets;
using Grad.Layers;
using Grad.Optim;
using Grad.Serialization;
using Grad.Tests.Unit.Datasets;
using Grad.Training;

namespace Grad.Tests.Unit.Training;

/// <summary>The sample loop at the top of docs/training-building-blocks.md, as it stands there,
/// on a small synthetic CIFAR-10 whose class is the bright band of the image: it compiles, learns, counts
/// its correct predictions, and saves a checkpoint that holds the trained model. It stays out of
/// tests/neutral because it runs the documented code verbatim, and that makes its model and batches
/// on <see cref="Device.Default"/>, as a user's loop does; tests/neutral/Training/TrainingStepTests.cs
/// runs the same step on every backend.</summary>
public class SampleLoopTests
{
    [Fact]
    public void The_documented_loop_trains_and_saves_its_model()
    {
        using var temp = new TempDirectory();
        var synthetic = new SyntheticCifar10(40, (file, record) => record % 10,
            (file, record, position) => (byte)((position / 308 == record % 10 ? 160 : 40) + (file * 31 + record * 7 + position) % 64));
        string dataPath = synthetic.WriteFolder(temp.Path);
        string checkpointPath = temp.Combine("run.ckpt");
        const int epochs = 3;
        var losses = new List<double>();
        int correct = 0;

        // The docs load the real CIFAR-10 (Cifar10.Locate("data")); this one has 40 records a file, standardised.
        var data = Cifar10.Load(Cifar10.Locate(dataPath), new Cifar10Options { RecordsPerFile = null, Normalization = Normalization.PerChannel });

        // From docs/training-building-blocks.md:
        var batches = new BatchIterator(data.Train, 20, new BatchOptions { Seed = 42, DropLast = true, Flatten = true });
        var model = new Sequential(Linear.Create(3072, 100, seed: 1), new ReLU(), Linear.Create(100, 10, seed: 3));
        var schedule = new OneCycleSchedule(maxLearningRate: 1e-3, totalSteps: epochs * batches.BatchesPerEpoch);
        using var trainer = new Trainer<Sequential>(model, new Adam(WeightDecay: 5e-4), new CrossEntropyLoss());

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in batches.Epoch(epoch))
            {
                using (batch)
                {
                    var step = trainer.Step(batch.Images, batch.Labels, schedule.At(trainer.State.Step));
                    using var logits = step.Output;                 // the caller's: dispose it
                    if (!step.Updated) throw new InvalidOperationException($"the loss became {step.Loss}");
                    correct += Classification.Correct(logits, batch.Labels);
                    losses.Add(step.Loss);
                }
            }
        }
        Checkpoint.Save(checkpointPath, trainer.Model, trainer.State, new Dictionary<string, string> { ["seed"] = "42" });
        // (end of the documented loop)

        int perEpoch = batches.BatchesPerEpoch;
        Assert.Equal(epochs * perEpoch, trainer.State.Step);
        Assert.True(losses.TakeLast(perEpoch).Average() < 0.5 * losses.Take(perEpoch).Average(),
            $"mean loss per epoch: {string.Join(", ", losses.Chunk(perEpoch).Select(c => c.Average()))}");
        Assert.InRange(correct, perEpoch * 20, epochs * perEpoch * 20);
        var saved = Checkpoint.Load(checkpointPath, Template());
        Assert.Equal(trainer.Model.Parameters().Select(p => p.Value.ToArray<float>()), saved.Model.Parameters().Select(p => p.Value.ToArray<float>()));
        Assert.Equal(trainer.State.Step, saved.Optimizer.Step);
        Assert.Equal("42", saved.Metadata["seed"]);
    }

    private static Sequential Template() =>
        new(Linear.Create(3072, 100, seed: 9), new ReLU(), Linear.Create(100, 10, seed: 9)); // other weights, same shapes
}
