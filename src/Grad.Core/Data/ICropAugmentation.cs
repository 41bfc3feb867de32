namespace Grad.Data;

/// <summary>An augmentation that is a crop of the zero-padded image and a flip (Grad.Datasets'
/// <c>Augmentation</c>): a <see cref="BatchIterator"/> with <see cref="BatchOptions.OnDevice"/>
/// draws the crops on the host and lets the device cut them out of the dataset it holds.</summary>
public interface ICropAugmentation : IAugmentation
{
    /// <summary>Zeros added on each side before cropping.</summary>
    int Padding { get; }

    /// <summary>One example's crop, drawing from <paramref name="rng"/> exactly what
    /// <see cref="IAugmentation.Apply"/> draws for it.</summary>
    ImageCrop Draw(Rng rng, int example);
}
