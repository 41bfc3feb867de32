using Grad.Data;

namespace Grad.Datasets;

/// <summary>Which part of CIFAR-10: the five training batches (50,000 images) or the test batch (10,000).</summary>
public enum Cifar10Split
{
    Train,
    Test,
}

/// <summary>How <see cref="Cifar10.Load"/> reads and preprocesses.</summary>
public sealed record Cifar10Options
{
    /// <summary>The preprocessing fitted on the training split and applied to both (default: the mean image).</summary>
    public Normalization Normalization { get; init; } = Normalization.MeanImage;

    /// <summary>
    /// Records each batch file must hold: 10,000 in the official files. Null accepts any non-empty
    /// whole number of records, for small datasets written in the same layout.
    /// </summary>
    public int? RecordsPerFile { get; init; } = Cifar10Layout.RecordsPerFile;

    /// <summary>
    /// Training images held out as a validation split: the first ones of data_batch_1, as the
    /// practical's <c>get_cifar10(validation_size=…)</c> takes them. The preprocessing is fitted
    /// on the images that remain for training, so nothing about the held-out ones leaks into it.
    /// </summary>
    public int ValidationSize { get; init; }
}

/// <summary>CIFAR-10 loaded and preprocessed: both splits, the class names and the fitted preprocessing.</summary>
public sealed record Cifar10Data(
    ImageDataset Train,
    ImageDataset Test,
    IReadOnlyList<string> ClassNames,
    ImageNormalizer Normalizer,
    Cifar10Source Source)
{
    /// <summary>The held-out training images (<see cref="Cifar10Options.ValidationSize"/>), or null when none are.</summary>
    public ImageDataset? Validation { get; init; }
}
