using Grad.Backends;

namespace Grad.Data;

/// <summary>How a <see cref="BatchIterator"/> orders and shapes its batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Reshuffle every epoch (training); false iterates in dataset order (evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The run's seed: with the step, it fixes the batch's examples and augmentation.</summary>
    public ulong Seed { get; init; }

    /// <summary>Leave out the last batch of an epoch when it would be smaller than the batch size.</summary>
    public bool DropLast { get; init; }

    /// <summary>Images as (B, C·H·W) rows, for MLPs, instead of (B, C, H, W).</summary>
    public bool Flatten { get; init; }

    /// <summary>A random change applied to each example on the fly (Grad.Datasets' crop and flip); null for none.</summary>
    public IAugmentation? Augmentation { get; init; }

    /// <summary>Where the batch tensors are created; null for <see cref="Device.Default"/>.</summary>
    public IBackend? Backend { get; init; }

    /// <summary>Upload the dataset to <see cref="Backend"/> once and cut every batch out of it
    /// there (<see cref="Backends.IBackend.GatherImages"/>), so a GPU is never fed from the host. The
    /// augmentation must then be a crop and flip (<see cref="ICropAugmentation"/>), or none.</summary>
    public bool OnDevice { get; init; }

    /// <summary>In order, every example, no augmentation: for evaluation.</summary>
    public static BatchOptions Sequential { get; } = new() { Shuffle = false };
}
