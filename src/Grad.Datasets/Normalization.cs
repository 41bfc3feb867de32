namespace Grad.Datasets;

/// <summary>How raw 0..255 pixel values are shifted and scaled after loading.</summary>
public enum Normalization
{
    /// <summary>Raw values 0..255 as floats.</summary>
    None,

    /// <summary>
    /// Subtract the training set's mean image (one mean per channel, row and column): the
    /// practical's default. Values stay on the 0..255 scale, centred on zero.
    /// </summary>
    MeanImage,

    /// <summary>Subtract each channel's training mean and divide by its standard deviation.</summary>
    PerChannel,
}
