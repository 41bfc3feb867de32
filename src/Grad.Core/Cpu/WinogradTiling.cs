namespace Grad.Cpu;

/// <summary>
/// The m×m output tiles of a batch of H×W planes for <see cref="Conv2dWinograd"/>, numbered image
/// by image, row by row, and two staging layouts in which every tile's cells lie at fixed
/// offsets from one origin, so the transforms gather them with no bounds checks or divisions:
/// the input staging holds one channel of every image inside a zero border, padded to whole
/// tiles ((m·rows + 2) × (m·columns + 2) per image, a tile's (m + 2)² patch at its origin); the
/// output staging holds whole m×m tiles ((m·rows) × (m·columns) per image).
/// </summary>
internal sealed class WinogradTiling
{
    public WinogradTiling(int images, int height, int width, int tile)
    {
        (Images, Height, Width) = (images, height, width);
        (Rows, Columns) = (Cover(height, tile), Cover(width, tile));
        Count = images * Rows * Columns;
        InputPitch = tile * Columns + 2;
        InputPlane = (tile * Rows + 2) * InputPitch;
        OutputPitch = tile * Columns;
        OutputPlane = tile * Rows * OutputPitch;
        InputOrigins = new int[Count];
        OutputOrigins = new int[Count];
        for (int n = 0, t = 0; n < images; n++)
        {
            for (int i = 0; i < Rows; i++)
            {
                for (int j = 0; j < Columns; j++, t++)
                {
                    InputOrigins[t] = n * InputPlane + tile * (i * InputPitch + j);
                    OutputOrigins[t] = n * OutputPlane + tile * (i * OutputPitch + j);
                }
            }
        }
    }

    /// <summary>Tiles per image, without building a tiling's origin tables.</summary>
    public static int PerImage(int height, int width, int tile) => Cover(height, tile) * Cover(width, tile);

    /// <summary>Tiles of side <paramref name="tile"/> that cover <paramref name="length"/> cells.</summary>
    private static int Cover(int length, int tile) => (length + tile - 1) / tile;

    public int Images { get; }
    public int Height { get; }
    public int Width { get; }
    public int Rows { get; }
    public int Columns { get; }
    public int Count { get; }
    public int InputPitch { get; }
    public int InputPlane { get; }
    public int OutputPitch { get; }
    public int OutputPlane { get; }

    /// <summary>Where each tile's input patch starts in the input staging.</summary>
    public int[] InputOrigins { get; }

    /// <summary>Where each tile's m×m cells start in the output staging.</summary>
    public int[] OutputOrigins { get; }

    public int InputStagingLength => Images * InputPlane;
    public int OutputStagingLength => Images * OutputPlane;

    /// <summary>Copies channel <paramref name="c"/> of every image of NCHW <paramref name="x"/>
    /// inside the border of <paramref name="staging"/>, whose border cells must be zero.</summary>
    public void StageInput<T>(ReadOnlySpan<T> x, int channels, int c, Span<T> staging) where T : unmanaged
    {
        for (int n = 0; n < Images; n++)
        {
            var plane = x.Slice((n * channels + c) * Height * Width, Height * Width);
            for (int h = 0; h < Height; h++)
                plane.Slice(h * Width, Width).CopyTo(staging.Slice(n * InputPlane + (h + 1) * InputPitch + 1, Width));
        }
    }

    /// <summary>Copies channel <paramref name="c"/> of every image of NCHW <paramref name="y"/>
    /// into the output staging; cells of tiles hanging over the edge must be zero.</summary>
    public void StageOutput<T>(ReadOnlySpan<T> y, int channels, int c, Span<T> staging) where T : unmanaged
    {
        for (int n = 0; n < Images; n++)
        {
            var plane = y.Slice((n * channels + c) * Height * Width, Height * Width);
            for (int h = 0; h < Height; h++)
                plane.Slice(h * Width, Width).CopyTo(staging.Slice(n * OutputPlane + h * OutputPitch, Width));
        }
    }

    /// <summary>Copies the cells inside the planes from the output staging to channel
    /// <paramref name="c"/> of NCHW <paramref name="y"/>.</summary>
    public void UnstageOutput<T>(ReadOnlySpan<T> staging, int channels, int c, Span<T> y) where T : unmanaged
    {
        for (int n = 0; n < Images; n++)
        {
            var plane = y.Slice((n * channels + c) * Height * Width, Height * Width);
            for (int h = 0; h < Height; h++)
                staging.Slice(n * OutputPlane + h * OutputPitch, Width).CopyTo(plane.Slice(h * Width, Width));
        }
    }
}
