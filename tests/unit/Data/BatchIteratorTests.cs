using Grad.Data;
using Grad.Datasets;

namespace Grad.Tests.Unit.Data;

public class BatchIteratorTests
{
    /// <summary>
    /// <paramref name="count"/> images of (2, 3, 4) whose every pixel encodes the image's index and
    /// position (index·100 + position), labelled index mod 10, so a batch says exactly what it holds.
    /// </summary>
    private static ImageDataset Indexed(int count)
    {
        var pixels = new float[count * 24];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i / 24 * 100 + i % 24;
        return new ImageDataset(pixels, Enumerable.Range(0, count).Select(i => i % 10).ToArray(), 2, 3, 4);
    }

    /// <summary>The example index of each image in a batch, checking its label and pixels agree.</summary>
    private static int[] Examples(Batch batch)
    {
        float[] pixels = batch.Images.ToArray<float>();
        int[] labels = batch.Labels.ToArray<int>();
        var examples = new int[batch.Count];
        for (int b = 0; b < batch.Count; b++)
        {
            examples[b] = (int)pixels[b * 24] / 100;
            Assert.Equal(examples[b] % 10, labels[b]);
            for (int p = 0; p < 24; p++) Assert.Equal(examples[b] * 100 + p, pixels[b * 24 + p]);
        }
        return examples;
    }

    private static List<(float[] Images, int[] Labels)> Contents(IEnumerable<Batch> batches) =>
        batches.Select(b => { using (b) return (b.Images.ToArray<float>(), b.Labels.ToArray<int>()); }).ToList();

    [Fact]
    public void Every_example_comes_exactly_once_per_epoch_in_a_new_order_each_epoch()
    {
        var iterator = new BatchIterator(Indexed(23), batchSize: 5, new BatchOptions { Seed = 7 });
        Assert.Equal(5, iterator.BatchesPerEpoch);

        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            foreach (var batch in iterator.Epoch(epoch))
                using (batch)
                {
                    Assert.Equal(epoch, batch.Epoch);
                    Assert.Equal(iterator.StepOf(epoch, batch.Index), batch.Step);
                    Assert.Equal(batch.Index < 4 ? 5 : 3, batch.Count); // the last batch holds the rest
                    Assert.Equal(DType.Float32, batch.Images.DType);
                    Assert.Equal(DType.Int32, batch.Labels.DType);
                    Assert.Equal(new Shape(batch.Count, 2, 3, 4), batch.Images.Shape);
                    Assert.Equal(new Shape(batch.Count), batch.Labels.Shape);
                    seen.AddRange(Examples(batch));
                }
            Assert.Equal(Enumerable.Range(0, 23), seen.Order());
            Assert.Equal(iterator.Order(epoch), seen);
            orders.Add([.. seen]);
        }
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(orders[1], orders[2]);
        Assert.NotEqual(Enumerable.Range(0, 23), orders[0]);
    }

    [Fact]
    public void Same_seed_gives_identical_batches_and_another_seed_does_not()
    {
        var data = Indexed(40);
        var options = new BatchOptions { Seed = 12345, Augmentation = new Augmentation(Padding: 1) };
        var first = Contents(new BatchIterator(data, 8, options).Epoch(2));
        var again = Contents(new BatchIterator(data, 8, options).Epoch(2));
        var other = Contents(new BatchIterator(data, 8, options with { Seed = 12346 }).Epoch(2));

        Assert.Equal(first.Select(b => b.Images), again.Select(b => b.Images));
        Assert.Equal(first.Select(b => b.Labels), again.Select(b => b.Labels));
        Assert.NotEqual(first.SelectMany(b => b.Labels), other.SelectMany(b => b.Labels));
    }

    [Fact]
    public void Batch_at_step_k_is_the_kth_batch_of_a_fresh_run_augmentation_included()
    {
        var data = Indexed(30);
        var options = new BatchOptions { Seed = 99, Augmentation = Augmentation.Standard };
        var iterator = new BatchIterator(data, 7, options); // 5 batches per epoch, the last of 2
        var run = Contents(Enumerable.Range(0, 3).SelectMany(epoch => new BatchIterator(data, 7, options).Epoch(epoch)));

        foreach (long step in new long[] { 0, 3, 4, 5, 9, 13, 14 })
        {
            using var batch = iterator.GetBatch(step);
            Assert.Equal(step, batch.Step);
            Assert.Equal(run[(int)step].Images, batch.Images.ToArray<float>());
            Assert.Equal(run[(int)step].Labels, batch.Labels.ToArray<int>());
        }
        // Resuming mid-epoch continues with the same batches.
        var resumed = Contents(iterator.Epoch(2, firstBatch: 3));
        Assert.Equal(run.Skip(13).Select(b => b.Images), resumed.Select(b => b.Images));
        Assert.Equal((2, 3), iterator.PositionOf(13));
    }

    [Fact]
    public void Sequential_visits_the_dataset_in_order_and_flat_gives_rows()
    {
        var iterator = new BatchIterator(Indexed(10), 4, BatchOptions.Sequential with { Flatten = true });

        var batches = iterator.Epoch(0).ToList();

        Assert.Equal([new Shape(4, 24), new Shape(4, 24), new Shape(2, 24)], batches.Select(b => b.Images.Shape));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(Examples));
        foreach (var batch in batches) batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batches[0].Images.ToArray<float>());
    }

    [Fact]
    public void Drop_last_leaves_out_the_partial_batch()
    {
        var iterator = new BatchIterator(Indexed(10), 4, new BatchOptions { DropLast = true, Seed = 3 });

        var batches = Contents(iterator.Epoch(0));

        Assert.Equal(2, iterator.BatchesPerEpoch);
        Assert.All(batches, b => Assert.Equal(4, b.Labels.Length));
        Assert.Equal(8, batches.SelectMany(b => b.Labels).Count());
    }

    [Fact]
    public void Bad_arguments_are_clear_errors()
    {
        Assert.Contains("batch size must be positive, got 0",
            Assert.Throws<ArgumentOutOfRangeException>(() => new BatchIterator(Indexed(3), 0)).Message);
        Assert.Contains("3 examples make no batch of 4 when the last partial batch is dropped",
            Assert.Throws<ArgumentException>(() => new BatchIterator(Indexed(3), 4, new BatchOptions { DropLast = true })).Message);
    }
}
