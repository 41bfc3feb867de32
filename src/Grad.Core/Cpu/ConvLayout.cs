using Grad.Backends;

namespace Grad.Cpu;

/// <summary>The sizes of one 2-D convolution over NCHW input with (O, C, KH, KW) weights, and the
/// sizes of its lowered (im2col) form: a (C·KH·KW) × (N·OH·OW) column matrix.</summary>
internal readonly record struct ConvLayout(int N, int C, int H, int W, int O, int KH, int KW, Conv2dGeometry Geometry)
{
    public static ConvLayout Of(Shape input, Shape weight, Conv2dGeometry geometry) =>
        new(input[0], input[1], input[2], input[3], weight[0], weight[2], weight[3], geometry);

    public int OH => Geometry.OutputHeight(H, KH);
    public int OW => Geometry.OutputWidth(W, KW);

    /// <summary>Output cells per plane: the width of one image's block of columns.</summary>
    public int Positions => OH * OW;

    /// <summary>Rows of the column matrix, one per (channel, kernel row, kernel column).</summary>
    public int Patch => C * KH * KW;

    /// <summary>Columns of the column matrix, one per (image, output cell).</summary>
    public int Columns => N * Positions;

    public Shape OutputShape => new(N, O, OH, OW);

    /// <summary>A 1×1 kernel with unit stride and no padding reads each image as its own
    /// (C, H·W) column matrix, so no lowering is needed.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && Geometry is { StrideH: 1, StrideW: 1, PadH: 0, PadW: 0 };
}
