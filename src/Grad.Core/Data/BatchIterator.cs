using System.Buffers;

namespace Grad.Data;

/// <summary>
/// Batches over an <see cref="ImageDataset"/>. With shuffling, epoch e visits the examples in an
/// order drawn from an <see cref="Rng"/> seeded from (seed, e), and the augmentation of step s from
/// one seeded from (seed, s); nothing depends on what was drawn before. So the batch at any step
/// can be rebuilt exactly (<see cref="GetBatch"/>), which is how a resumed run continues bit for bit.
/// With <see cref="BatchOptions.OnDevice"/>, the dataset goes to the device once (at the first
/// batch) and stays there until the iterator is disposed.
/// </summary>
public sealed class BatchIterator : IDisposable
{
    private readonly ImageDataset _data;
    private readonly BatchOptions _options;
    private Tensor? _resident;

    public BatchIterator(ImageDataset data, int batchSize, BatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _options = options ?? new BatchOptions();
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"BatchIterator: batch size must be positive, got {batchSize}.");
        if (data.Count == 0 || (_options.DropLast && data.Count < batchSize))
            throw new ArgumentException(
                $"BatchIterator: {data.Count} examples make no batch of {batchSize}{(_options.DropLast ? " when the last partial batch is dropped" : "")}.");
        if (_options.OnDevice && _options.Augmentation is not (null or ICropAugmentation))
            throw new ArgumentException($"BatchIterator: batches made on the device can be cropped and flipped only; {_options.Augmentation.GetType().Name} runs on the host (leave OnDevice off).");
        _data = data;
        BatchSize = batchSize;
        BatchesPerEpoch = _options.DropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
    }

    public int BatchSize { get; }

    public int BatchesPerEpoch { get; }

    public BatchOptions Options => _options;

    /// <summary>The step at which batch <paramref name="index"/> of <paramref name="epoch"/> comes.</summary>
    public long StepOf(int epoch, int index) => (long)epoch * BatchesPerEpoch + index;

    /// <summary>The epoch and the batch within it of a step.</summary>
    public (int Epoch, int Index) PositionOf(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return (checked((int)(step / BatchesPerEpoch)), (int)(step % BatchesPerEpoch));
    }

    /// <summary>The example indices in the order epoch <paramref name="epoch"/> visits them.</summary>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (_options.Shuffle) new Rng(BatchSeeds.Shuffle(_options.Seed, epoch)).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>The batches of one epoch, from <paramref name="firstBatch"/> on (to resume mid-epoch).</summary>
    public IEnumerable<Batch> Epoch(int epoch, int firstBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        int[] order = Order(epoch);
        for (int index = firstBatch; index < BatchesPerEpoch; index++)
            yield return Gather(order, epoch, index);
    }

    /// <summary>The batch at <paramref name="step"/>, exactly as iteration yields it there.</summary>
    public Batch GetBatch(long step)
    {
        var (epoch, index) = PositionOf(step);
        return Gather(Order(epoch), epoch, index);
    }

    private Batch Gather(int[] order, int epoch, int index) =>
        _options.OnDevice ? GatherOnDevice(order, epoch, index) : GatherOnHost(order, epoch, index);

    /// <summary>The batch's crops drawn on the host (the same draws as on the host path), cut out
    /// of the dataset on the device; only the crops and the labels travel.</summary>
    private Batch GatherOnDevice(int[] order, int epoch, int index)
    {
        var backend = _options.Backend ?? Device.Default;
        _resident ??= Tensor.FromSpan<float>(_data.Pixels, new Shape(_data.Count, _data.Channels, _data.Height, _data.Width), backend);
        int start = index * BatchSize, count = Math.Min(BatchSize, order.Length - start);
        long step = StepOf(epoch, index);
        var crops = new ImageCrop[count];
        var labels = new int[count];
        var augmentation = _options.Augmentation as ICropAugmentation;
        var rng = augmentation is null ? null : new Rng(BatchSeeds.Augment(_options.Seed, step));
        for (int i = 0; i < count; i++)
        {
            int example = order[start + i];
            labels[i] = _data.Labels[example];
            crops[i] = augmentation is null || rng is null ? new ImageCrop(example, 0, 0, false) : augmentation.Draw(rng, example);
        }
        var gathered = backend.GatherImages(_resident, crops, augmentation?.Padding ?? 0);
        Tensor images = gathered;
        if (_options.Flatten)
        {
            using (gathered) images = gathered.Reshape(count, _data.ImageSize);
        }
        return new Batch(images, Tensor.FromSpan<int>(labels, new Shape(count), backend), epoch, index, step);
    }

    private Batch GatherOnHost(int[] order, int epoch, int index)
    {
        int start = index * BatchSize, count = Math.Min(BatchSize, order.Length - start);
        int imageSize = _data.ImageSize;
        long step = StepOf(epoch, index);
        float[] images = ArrayPool<float>.Shared.Rent(count * imageSize);
        int[] labels = ArrayPool<int>.Shared.Rent(count);
        try
        {
            var augmentation = _options.Augmentation;
            var rng = augmentation is null ? null : new Rng(BatchSeeds.Augment(_options.Seed, step));
            for (int i = 0; i < count; i++)
            {
                int example = order[start + i];
                labels[i] = _data.Labels[example];
                var destination = images.AsSpan(i * imageSize, imageSize);
                if (augmentation is null || rng is null)
                    _data.Image(example).CopyTo(destination);
                else
                    augmentation.Apply(rng, _data.Image(example), destination, _data.Channels, _data.Height, _data.Width);
            }
            Shape shape = _options.Flatten ? new Shape(count, imageSize) : new Shape(count, _data.Channels, _data.Height, _data.Width);
            var imageTensor = Tensor.FromSpan<float>(images.AsSpan(0, count * imageSize), shape, _options.Backend);
            var labelTensor = Tensor.FromSpan<int>(labels.AsSpan(0, count), new Shape(count), _options.Backend);
            return new Batch(imageTensor, labelTensor, epoch, index, step);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(images);
            ArrayPool<int>.Shared.Return(labels);
        }
    }

    /// <summary>Frees the dataset's copy on the device, if one was made.</summary>
    public void Dispose()
    {
        _resident?.Dispose();
        _resident = null;
    }
}
