namespace Grad.Data;

/// <summary>
/// One batch: images (B, C, H, W) or (B, C·H·W) float32 and labels (B,) int32, with where it sits in
/// the run. The caller owns both tensors: dispose the batch (or each tensor) when done with it.
/// </summary>
public sealed class Batch(Tensor images, Tensor labels, int epoch, int index, long step) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;

    /// <summary>The epoch this batch belongs to (0-based).</summary>
    public int Epoch { get; } = epoch;

    /// <summary>Its position in the epoch (0-based).</summary>
    public int Index { get; } = index;

    /// <summary>Its position in the run: Epoch × BatchesPerEpoch + Index.</summary>
    public long Step { get; } = step;

    /// <summary>Examples in the batch (smaller than the batch size for an epoch's last batch).</summary>
    public int Count => Labels.Shape[0];

    public void Deconstruct(out Tensor images, out Tensor labels)
    {
        images = Images;
        labels = Labels;
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
