using System.Numerics.Tensors;
using Grad.Data;

namespace Grad.Datasets;

/// <summary>Turns batch-file records (label byte + 3072 pixel bytes) into an <see cref="ImageDataset"/>.</summary>
internal static class Cifar10Records
{
    private const int Chunk = 500; // records per parallel work item: enough to amortise scheduling

    /// <summary>
    /// Converts the named files, in order, into one float array and normalises each image while it
    /// is still in cache. Each file's bytes are removed from <paramref name="files"/> once converted,
    /// so they can be collected while the rest fills: peak memory stays near one split's floats.
    /// </summary>
    public static ImageDataset ToDataset(Dictionary<string, byte[]> files, IReadOnlyList<string> names, ImageNormalizer normalizer) =>
        ToDatasets(files, names, normalizer, held: 0).Remaining;

    /// <summary>
    /// As <see cref="ToDataset"/>, with the first <paramref name="held"/> records going to a
    /// dataset of their own (null when none): each image is converted straight into its part.
    /// </summary>
    public static (ImageDataset? HeldOut, ImageDataset Remaining) ToDatasets(Dictionary<string, byte[]> files, IReadOnlyList<string> names,
        ImageNormalizer normalizer, int held)
    {
        const int imageBytes = Cifar10Layout.ImageBytes, recordBytes = Cifar10Layout.RecordBytes;
        if (normalizer.Channels * normalizer.Height * normalizer.Width != imageBytes)
            throw new ArgumentException(
                $"Cifar10: the normaliser is for ({normalizer.Channels}, {normalizer.Height}, {normalizer.Width}) images, not (3, 32, 32).");
        long count = names.Sum(name => (long)files[name].Length / recordBytes);
        if (count * imageBytes > Array.MaxLength)
            throw new InvalidDataException($"Cifar10: {count:N0} images do not fit in one array.");
        var heldPart = new Part(held);
        var rest = new Part((int)count - held);
        int first = 0;
        foreach (string name in names)
        {
            byte[] records = files[name];
            files.Remove(name);
            int n = records.Length / recordBytes, start = first;
            Parallel.For(0, (n + Chunk - 1) / Chunk, chunk =>
            {
                for (int i = chunk * Chunk; i < Math.Min(n, (chunk + 1) * Chunk); i++)
                {
                    var record = records.AsSpan(i * recordBytes, recordBytes);
                    int index = start + i;
                    var (part, slot) = index < held ? (heldPart, index) : (rest, index - held);
                    var image = part.Pixels.AsSpan(slot * imageBytes, imageBytes);
                    part.Labels[slot] = record[0];
                    TensorPrimitives.ConvertTruncating<byte, float>(record[1..], image);
                    normalizer.Apply(image);
                }
            });
            first += n;
        }
        return (held == 0 ? null : heldPart.ToDataset(), rest.ToDataset());
    }

    /// <summary>The arrays of one dataset being filled.</summary>
    private sealed class Part(int count)
    {
        public float[] Pixels { get; } = new float[(long)count * Cifar10Layout.ImageBytes];
        public int[] Labels { get; } = new int[count];

        public ImageDataset ToDataset() =>
            new(Pixels, Labels, Cifar10Layout.Channels, Cifar10Layout.Height, Cifar10Layout.Width);
    }
}
