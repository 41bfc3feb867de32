using Grad.Data;
using Grad.Datasets;

namespace Grad.Tests.Unit.Datasets;

public class AugmentationTests
{
    // One channel, 3 rows, 4 columns: 1..12.
    private static readonly float[] Image = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    private static float[] Apply(CropFlip draw, int padding)
    {
        var output = Enumerable.Repeat(-1f, Image.Length).ToArray(); // -1 shows anything not written
        draw.Apply(Image, output, 1, 3, 4, padding);
        return output;
    }

    [Fact]
    public void Centre_crop_without_mirror_is_the_image()
    {
        Assert.Equal(Image, Apply(new CropFlip(Top: 2, Left: 2, Mirror: false), padding: 2));
    }

    [Fact]
    public void Crop_shifts_the_image_and_fills_with_zeros()
    {
        // Padded by 1 and cropped at (0, 2): output (y, x) = image (y − 1, x + 1).
        float[] expected =
        [
            0, 0, 0, 0,
            2, 3, 4, 0,
            6, 7, 8, 0,
        ];
        Assert.Equal(expected, Apply(new CropFlip(Top: 0, Left: 2, Mirror: false), padding: 1));
    }

    [Fact]
    public void Mirror_reverses_each_row_after_the_crop()
    {
        Assert.Equal([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9], Apply(new CropFlip(0, 0, Mirror: true), padding: 0));
        // Padded by 1 and cropped at (2, 0): output (y, x) = image (y + 1, x − 1), i.e. rows
        // (0 5 6 7), (0 9 10 11), zeros; then each row mirrored.
        float[] expected =
        [
            7, 6, 5, 0,
            11, 10, 9, 0,
            0, 0, 0, 0,
        ];
        Assert.Equal(expected, Apply(new CropFlip(Top: 2, Left: 0, Mirror: true), padding: 1));
    }

    [Fact]
    public void A_crop_beyond_the_image_is_all_padding()
    {
        Assert.All(Apply(new CropFlip(Top: 0, Left: 0, Mirror: false), padding: 4), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Flip_in_the_iterator_gives_each_image_or_its_exact_mirror()
    {
        const int count = 64, c = 3, h = 5, w = 6;
        var pixels = Enumerable.Range(0, count * c * h * w).Select(i => (float)i).ToArray();
        var data = new ImageDataset(pixels, new int[count], c, h, w);
        var iterator = new BatchIterator(data, count, BatchOptions.Sequential with { Augmentation = new Augmentation(Padding: 0) });

        using var batch = iterator.GetBatch(0);

        Assert.Equal(new Shape(count, c, h, w), batch.Images.Shape);
        float[] output = batch.Images.ToArray<float>();
        int mirrored = 0;
        for (int i = 0; i < count; i++)
        {
            var image = output.AsSpan(i * c * h * w, c * h * w);
            var source = data.Image(i);
            bool flipped = !image.SequenceEqual(source);
            for (int row = 0; row < c * h; row++)
                for (int x = 0; x < w; x++)
                    Assert.Equal(source[row * w + (flipped ? w - 1 - x : x)], image[row * w + x]);
            mirrored += flipped ? 1 : 0;
        }
        Assert.InRange(mirrored, 16, 48); // about half, for a fair coin over 64 images
    }

    [Fact]
    public void Standard_augmentation_keeps_shapes_and_moves_pixels_only_within_the_padding()
    {
        var data = new ImageDataset(Enumerable.Range(0, 10 * 3072).Select(i => (float)(i % 3072 + 1)).ToArray(), new int[10], 3, 32, 32);
        var iterator = new BatchIterator(data, 10, new BatchOptions { Seed = 5, Augmentation = Augmentation.Standard, Flatten = true });

        using var batch = iterator.GetBatch(0);

        Assert.Equal(new Shape(10, 3072), batch.Images.Shape);
        float[] output = batch.Images.ToArray<float>();
        for (int i = 0; i < output.Length; i++)
        {
            if (output[i] == 0) continue; // padding
            int position = i % 3072, source = (int)output[i] - 1; // each pixel's value names where it came from
            Assert.Equal(position / 1024, source / 1024);        // same channel
            Assert.InRange(Math.Abs(position / 32 % 32 - source / 32 % 32), 0, 4); // rows move by the padding at most
        }
        Assert.Contains(0f, output); // some crop went past the edge
    }

    [Fact]
    public void A_negative_padding_is_refused_however_the_augmentation_is_made()
    {
        Assert.Throws<ArgumentException>(() => new Augmentation(Padding: -1));
        Assert.Throws<ArgumentException>(() => Augmentation.Standard with { Padding = -2 });
        Assert.Equal(0, (Augmentation.Standard with { Padding = 0 }).Padding);
    }
}
