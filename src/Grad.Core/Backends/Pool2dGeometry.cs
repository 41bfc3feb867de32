namespace Grad.Backends;

/// <summary>Window, stride and padding of a 2-D max-pool over NCHW input. Padding counts as
/// −∞ (PyTorch's semantics), so a padded cell is never the maximum.</summary>
public readonly record struct Pool2dGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    public Pool2dGeometry(int kernel, int stride, int padding) : this(kernel, kernel, stride, stride, padding, padding) { }

    public int OutputHeight(int height) => (height + 2 * PadH - KernelH) / StrideH + 1;
    public int OutputWidth(int width) => (width + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>The input rows [First, End) that the windows of output row <paramref name="row"/>
    /// cover, padding left out.</summary>
    public (int First, int End) WindowRows(int row, int height)
    {
        int top = row * StrideH - PadH;
        return (Math.Max(top, 0), Math.Min(top + KernelH, height));
    }

    /// <summary>The input columns [First, End) that the window of output column
    /// <paramref name="column"/> covers, padding left out.</summary>
    public (int First, int End) WindowColumns(int column, int width)
    {
        int left = column * StrideW - PadW;
        return (Math.Max(left, 0), Math.Min(left + KernelW, width));
    }
}
