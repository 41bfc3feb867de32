using Grad.Data;
using Grad.Layers;
using Grad.OpenCL;
using Grad.Optim;
using Grad.Training;

namespace Grad.Tests.OpenCL;

/// <summary>A training step on a device waits for the device once, for its loss: batches are cut
/// out on the device, labels are checked from the range known at upload, and correct predictions
/// are counted there.</summary>
public class HostWaitTests(BackendFixture device) : IClassFixture<BackendFixture>
{
    [Fact]
    public void A_training_step_waits_for_the_device_once()
    {
        var backend = (OpenCLBackend)device.Backend;
        var pixels = Enumerable.Range(0, 64 * 3 * 4 * 4).Select(i => (float)Math.Sin(i)).ToArray();
        var data = new ImageDataset(pixels, Enumerable.Range(0, 64).Select(i => i % 10).ToArray(), channels: 3, height: 4, width: 4);
        using var batches = new BatchIterator(data, 16, new BatchOptions { Seed = 1, Flatten = true, Backend = backend, OnDevice = true });
        var model = device.On(new Sequential(Linear.Create(48, 10, seed: 1)));
        using var trainer = new Trainer<Sequential>(model, new Adam(), new CrossEntropyLoss());
        Tensor? correct = null;
        var waits = new List<long>();
        foreach (var batch in batches.Epoch(0))
        {
            using (batch)
            {
                long before = OpenCLBackend.HostWaitsOnThisThread;
                var result = trainer.Step(batch.Images, batch.Labels, 1e-3);
                using (result.Output)
                {
                    var count = Classification.CorrectCount(result.Output, batch.Labels);
                    if (correct is null) correct = count;
                    else
                    {
                        using (count)
                        using (var previous = correct)
                            correct = previous + count;
                    }
                }
                waits.Add(OpenCLBackend.HostWaitsOnThisThread - before);
            }
        }
        using (correct) Assert.InRange(correct!.Item(), 0, 64);
        // The first batch uploads the dataset (one wait); every step after waits once, for its loss.
        Assert.All(waits.Skip(1), w => Assert.Equal(1, w));
    }
}
