namespace Grad.Data;

/// <summary>
/// One example's crop-and-flip: example <see cref="Example"/> is padded with <c>padding</c> zeros on
/// each side, cropped back to its size at (<see cref="Top"/>, <see cref="Left"/>) of the padded
/// image, and mirrored left–right when <see cref="Mirror"/>: output (y, x) is padded source
/// (y + Top, x' + Left) with x' = W − 1 − x when mirrored, else x. Backends gather batches on the
/// device from these (<see cref="Backends.IBackend.GatherImages"/>); <see cref="CopyTo"/> is the host's.
/// </summary>
public readonly record struct ImageCrop(int Example, int Top, int Left, bool Mirror)
{
    /// <summary>Writes the crop of <paramref name="source"/>, one (C, H, W) image, into
    /// <paramref name="destination"/> of the same size, row by row with no temporary buffer.</summary>
    public void CopyTo(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, int padding)
    {
        int dy = Top - padding, dx = Left - padding;
        int from = Math.Max(0, -dx), to = Math.Min(width, width - dx); // output columns that have a source pixel
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                var row = destination.Slice((c * height + y) * width, width);
                int sy = y + dy;
                if (sy < 0 || sy >= height || from >= to)
                {
                    row.Clear();
                    continue;
                }
                row[..from].Clear();
                row[to..].Clear();
                source.Slice((c * height + sy) * width + from + dx, to - from).CopyTo(row[from..to]);
                if (Mirror) row.Reverse();
            }
        }
    }
}
