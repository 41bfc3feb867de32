namespace Grad.Data;

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
}

/// <summary>CIFAR-10 loaded and preprocessed: both splits, the class names and the fitted preprocessing.</summary>
public sealed record Cifar10Data(
    ImageDataset Train,
    ImageDataset Test,
    IReadOnlyList<string> ClassNames,
    ImageNormalizer Normalizer,
    Cifar10Source Source);
