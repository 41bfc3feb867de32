using Grad.Backends;
using System.Numerics.Tensors;

namespace Grad.Datasets;

/// <summary>
/// The preprocessing fitted on a training set and applied to every split: nothing, the mean image
/// subtracted, or per-channel standardisation. Its numbers (<see cref="Mean"/>, <see cref="Std"/>)
/// are what a trainer saves with a model so evaluation later preprocesses the same way.
/// </summary>
public sealed class ImageNormalizer
{
    private ImageNormalizer(Normalization kind, float[] mean, float[] std, int channels, int height, int width)
    {
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"ImageNormalizer: image shape ({channels}, {height}, {width}) must be positive.");
        Kind = kind;
        Mean = mean;
        Std = std;
        Channels = channels;
        Height = height;
        Width = width;
    }

    public Normalization Kind { get; }

    /// <summary>
    /// <see cref="Normalization.MeanImage"/>: the mean image, (Channels, Height, Width) row-major.
    /// <see cref="Normalization.PerChannel"/>: one mean per channel. <see cref="Normalization.None"/>: empty.
    /// </summary>
    public float[] Mean { get; }

    /// <summary><see cref="Normalization.PerChannel"/>: one standard deviation per channel; otherwise empty.</summary>
    public float[] Std { get; }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    public static ImageNormalizer Identity(int channels, int height, int width) =>
        new(Normalization.None, [], [], channels, height, width);

    /// <summary>Subtracts <paramref name="meanImage"/>, (channels, height, width) row-major, from every image.</summary>
    public static ImageNormalizer MeanImage(float[] meanImage, int channels, int height, int width)
    {
        if (meanImage.Length != channels * height * width)
            throw new ArgumentException(
                $"ImageNormalizer: a mean image of {meanImage.Length} values does not fit images of ({channels}, {height}, {width}).");
        return new(Normalization.MeanImage, meanImage, [], channels, height, width);
    }

    /// <summary>Maps each channel c to (x − mean[c]) / std[c].</summary>
    public static ImageNormalizer PerChannel(float[] mean, float[] std, int channels, int height, int width)
    {
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException(
                $"ImageNormalizer: per-channel statistics need {channels} means and standard deviations, got {mean.Length} and {std.Length}.");
        if (std.Any(s => !(s > 0)))
            throw new ArgumentException($"ImageNormalizer: standard deviations must be positive, got [{string.Join(", ", std)}].");
        return new(Normalization.PerChannel, mean, std, channels, height, width);
    }

    /// <summary>The mean image as a (Channels, Height, Width) tensor (only for <see cref="Normalization.MeanImage"/>).</summary>
    public Tensor MeanImageTensor(IBackend? backend = null)
    {
        if (Kind != Normalization.MeanImage)
            throw new InvalidOperationException($"ImageNormalizer: there is no mean image under {Kind} normalisation.");
        return Tensor.FromSpan<float>(Mean, new Shape(Channels, Height, Width), backend);
    }

    /// <summary>Normalises whole images in place; <paramref name="images"/> holds one or more of them, NCHW.</summary>
    public void Apply(Span<float> images)
    {
        int imageSize = Channels * Height * Width, plane = Height * Width;
        if (images.Length % imageSize != 0)
            throw new ArgumentException(
                $"ImageNormalizer: {images.Length} values are not a whole number of ({Channels}, {Height}, {Width}) images.");
        for (int offset = 0; offset < images.Length; offset += imageSize)
        {
            var image = images.Slice(offset, imageSize);
            switch (Kind)
            {
                case Normalization.MeanImage:
                    TensorPrimitives.Subtract(image, Mean, image);
                    break;
                case Normalization.PerChannel:
                    for (int c = 0; c < Channels; c++)
                    {
                        var channel = image.Slice(c * plane, plane);
                        TensorPrimitives.Subtract(channel, Mean[c], channel);
                        TensorPrimitives.Divide(channel, Std[c], channel);
                    }
                    break;
            }
        }
    }
}
