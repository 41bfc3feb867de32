using Grad.Data;

namespace Grad.Tests.Core;

/// <summary>Batches cut out on the device from a dataset uploaded once are the host's batches,
/// crops, flips and padding included.</summary>
public class GatherImagesTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    /// <summary>A crop-and-flip with the host's semantics (ImageCrop), drawing three numbers per example.</summary>
    private sealed class Crops(int padding) : ICropAugmentation
    {
        public int Padding => padding;

        public ImageCrop Draw(Rng rng, int example) =>
            new(example, rng.NextInt(2 * padding + 1), rng.NextInt(2 * padding + 1), rng.NextInt(2) == 1);

        public void Apply(Rng rng, ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width) =>
            Draw(rng, 0).CopyTo(source, destination, channels, height, width, padding);
    }

    private static ImageDataset Dataset()
    {
        var pixels = Enumerable.Range(0, 11 * 2 * 5 * 6).Select(i => (float)i).ToArray();
        return new ImageDataset(pixels, Enumerable.Range(0, 11).Select(i => i % 3).ToArray(), channels: 2, height: 5, width: 6);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Batches_made_on_the_device_are_the_hosts(int padding, bool flatten)
    {
        var data = Dataset();
        var options = new BatchOptions { Seed = 9, Flatten = flatten, Backend = backend.Backend, Augmentation = padding > 0 ? new Crops(padding) : null };
        using var host = new BatchIterator(data, 4, options);
        using var device = new BatchIterator(data, 4, options with { OnDevice = true });
        foreach (var (expected, actual) in host.Epoch(1).Zip(device.Epoch(1)))
        {
            using (expected)
            using (actual)
            {
                Assert.Equal(expected.Images.Shape, actual.Images.Shape);
                Assert.Same(backend.Backend, actual.Images.Backend);
                Assert.Equal(expected.Images.ToArray<float>(), actual.Images.ToArray<float>());
                Assert.Equal(expected.Labels.ToArray<int>(), actual.Labels.ToArray<int>());
            }
        }
    }

    [Fact]
    public void An_augmentation_that_is_not_a_crop_stays_on_the_host()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchIterator(Dataset(), 4,
            new BatchOptions { Backend = backend.Backend, OnDevice = true, Augmentation = new Noise() }));
        Assert.Contains("Noise", error.Message);
    }

    private sealed class Noise : IAugmentation
    {
        public void Apply(Rng rng, ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width) =>
            source.CopyTo(destination);
    }
}
