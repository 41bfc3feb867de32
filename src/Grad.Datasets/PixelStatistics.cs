namespace Grad.Datasets;

/// <summary>
/// Exact sums over raw byte images, gathered while the training files are still bytes: integer
/// sums of 0..255 values do not round, so the mean image does not depend on summation order.
/// </summary>
internal sealed class PixelStatistics
{
    private readonly long[] _sum;
    private readonly long[] _sumOfSquares;
    private readonly int _channels, _plane;

    public PixelStatistics(int channels, int height, int width)
    {
        _channels = channels;
        _plane = height * width;
        _sum = new long[channels * _plane];
        _sumOfSquares = new long[channels * _plane];
    }

    public long Count { get; private set; }

    /// <summary>Adds every record of a batch file (label byte, then the image).</summary>
    public void AddRecords(ReadOnlySpan<byte> records)
    {
        int imageSize = _sum.Length, recordSize = imageSize + 1;
        for (int offset = 0; offset < records.Length; offset += recordSize)
        {
            var image = records.Slice(offset + 1, imageSize);
            for (int j = 0; j < image.Length; j++)
            {
                int v = image[j];
                _sum[j] += v;
                _sumOfSquares[j] += v * v;
            }
            Count++;
        }
    }

    /// <summary>The normaliser of the given kind fitted on what was added.</summary>
    public ImageNormalizer Fit(Normalization kind, int height, int width)
    {
        if (kind != Normalization.None && Count == 0)
            throw new InvalidOperationException("PixelStatistics: no images were added, so there is no mean to subtract.");
        return kind switch
        {
            Normalization.None => ImageNormalizer.Identity(_channels, height, width),
            Normalization.MeanImage => ImageNormalizer.MeanImage(_sum.Select(s => (float)((double)s / Count)).ToArray(), _channels, height, width),
            Normalization.PerChannel => FitChannels(height, width),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown normalisation"),
        };
    }

    private ImageNormalizer FitChannels(int height, int width)
    {
        var mean = new float[_channels];
        var std = new float[_channels];
        double n = (double)Count * _plane;
        for (int c = 0; c < _channels; c++)
        {
            long sum = 0, squares = 0;
            for (int j = c * _plane; j < (c + 1) * _plane; j++)
            {
                sum += _sum[j];
                squares += _sumOfSquares[j];
            }
            double m = sum / n;
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(squares / n - m * m, 0));
        }
        return ImageNormalizer.PerChannel(mean, std, _channels, height, width);
    }
}
