using Grad.Data;

namespace Grad.Datasets;

/// <summary>
/// On-the-fly training augmentation: a random crop of the image padded with <see cref="Padding"/>
/// zeros on each side, then a random horizontal flip. Zero is the padded value after
/// preprocessing, so under mean-image subtraction the border is the mean image's colour.
/// </summary>
/// <param name="Padding">Zeros added on each side before cropping back to the original size; 0 turns cropping off.</param>
/// <param name="Flip">Mirror left–right with probability ½.</param>
public sealed record Augmentation(int Padding = 4, bool Flip = true) : ICropAugmentation
{
    /// <summary>Zeros added on each side before cropping back to the original size; 0 turns cropping off.</summary>
    public int Padding { get; init => field = Checked(value); } = Checked(Padding);

    /// <summary>The practical's augmentation: 4-pixel padding, random crop, random flip.</summary>
    public static Augmentation Standard { get; } = new();

    private static int Checked(int padding) => padding >= 0 ? padding
        : throw new ArgumentException($"Augmentation: padding must be 0 or more, got {padding}.", nameof(Padding));

    /// <summary>Crops and maybe mirrors one image, drawing three numbers from <paramref name="rng"/>.</summary>
    public void Apply(Rng rng, ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width) =>
        CropFlip.Draw(rng, this).Apply(source, destination, channels, height, width, Padding);

    /// <inheritdoc/>
    public ImageCrop Draw(Rng rng, int example)
    {
        var draw = CropFlip.Draw(rng, this);
        return new ImageCrop(example, draw.Top, draw.Left, draw.Mirror);
    }
}

/// <summary>One image's draw: the crop's top-left corner in the padded image, and whether to mirror.</summary>
internal readonly record struct CropFlip(int Top, int Left, bool Mirror)
{
    /// <summary>Draws from <paramref name="rng"/>: always three numbers, so the sequence per image is fixed.</summary>
    public static CropFlip Draw(Rng rng, Augmentation augmentation)
    {
        int top = rng.NextInt(2 * augmentation.Padding + 1);
        int left = rng.NextInt(2 * augmentation.Padding + 1);
        bool mirror = rng.NextInt(2) == 1;
        return new(top, left, augmentation.Flip && mirror);
    }

    /// <summary>Writes the cropped (and maybe mirrored) <paramref name="source"/> into <paramref name="destination"/>
    /// (<see cref="ImageCrop.CopyTo"/>): output (y, x) is padded source (y + Top, x + Left).</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, int padding) =>
        new ImageCrop(0, Top, Left, Mirror).CopyTo(source, destination, channels, height, width, padding);
}
