namespace Grad.Backends;

/// <summary>Stride and zero padding of a 2-D convolution over NCHW input, and the output size
/// they give: <c>(in + 2·pad − kernel) / stride + 1</c>.</summary>
public readonly record struct Conv2dGeometry(int StrideH, int StrideW, int PadH, int PadW)
{
    public Conv2dGeometry(int stride, int padding) : this(stride, stride, padding, padding) { }

    public int OutputHeight(int height, int kernelH) => (height + 2 * PadH - kernelH) / StrideH + 1;
    public int OutputWidth(int width, int kernelW) => (width + 2 * PadW - kernelW) / StrideW + 1;
}
