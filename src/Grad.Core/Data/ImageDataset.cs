namespace Grad.Data;

/// <summary>
/// One split of an image dataset held in memory: all images in one float array, NCHW
/// (image after image, each channel plane after plane, each plane row-major), and one int label
/// per image. One array per split keeps 50,000 CIFAR-10 images at ~600 MB with no per-image objects.
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(float[] pixels, int[] labels, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"ImageDataset: image shape ({channels}, {height}, {width}) must be positive.");
        if ((long)labels.Length * channels * height * width != pixels.Length)
            throw new ArgumentException(
                $"ImageDataset: {pixels.Length:N0} pixels do not make {labels.Length:N0} images of ({channels}, {height}, {width}).");
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>All images, (Count, Channels, Height, Width) row-major.</summary>
    public float[] Pixels { get; }

    /// <summary>Class index of each image.</summary>
    public int[] Labels { get; }

    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Floats per image: Channels × Height × Width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);
}
