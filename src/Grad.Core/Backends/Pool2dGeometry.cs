namespace Grad.Backends;

/// <summary>Window, stride and padding of a 2-D max-pool over NCHW input. Padding counts as
/// −∞ (PyTorch's semantics), so a padded cell is never the maximum.</summary>
public readonly record struct Pool2dGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    public Pool2dGeometry(int kernel, int stride, int padding) : this(kernel, kernel, stride, stride, padding, padding) { }

    public int OutputHeight(int height) => (height + 2 * PadH - KernelH) / StrideH + 1;
    public int OutputWidth(int width) => (width + 2 * PadW - KernelW) / StrideW + 1;
}
