using Grad.Backends;

namespace Grad.Cpu;

/// <summary>The sizes of one 2-D convolution over NCHW input with (O, C, KH, KW) weights, and the
/// sizes of its lowered (im2col) form: a (C·KH·KW) × (N·OH·OW) column matrix. Every size is
/// computed once here, as the lowering loops read them per plane.</summary>
internal readonly struct ConvLayout
{
    public ConvLayout(int n, int c, int h, int w, int o, int kh, int kw, Conv2dGeometry geometry)
    {
        (N, C, H, W, O, KH, KW, Geometry) = (n, c, h, w, o, kh, kw, geometry);
        OH = geometry.OutputHeight(h, kh);
        OW = geometry.OutputWidth(w, kw);
        Positions = OH * OW;
        Patch = c * kh * kw;
        Columns = n * Positions;
    }

    public static ConvLayout Of(Shape input, Shape weight, Conv2dGeometry geometry) =>
        new(input[0], input[1], input[2], input[3], weight[0], weight[2], weight[3], geometry);

    public int N { get; }
    public int C { get; }
    public int H { get; }
    public int W { get; }
    public int O { get; }
    public int KH { get; }
    public int KW { get; }
    public Conv2dGeometry Geometry { get; }
    public int OH { get; }
    public int OW { get; }

    /// <summary>Output cells per plane: the width of one image's block of columns.</summary>
    public int Positions { get; }

    /// <summary>Rows of the column matrix, one per (channel, kernel row, kernel column).</summary>
    public int Patch { get; }

    /// <summary>Columns of the column matrix, one per (image, output cell).</summary>
    public int Columns { get; }

    public Shape OutputShape => new(N, O, OH, OW);

    /// <summary>The same convolution over a single image.</summary>
    public ConvLayout OneImage => new(1, C, H, W, O, KH, KW, Geometry);

    /// <summary>A 1×1 kernel with unit stride and no padding reads each image as its own
    /// (C, H·W) column matrix, so no lowering is needed.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && Geometry is { StrideH: 1, StrideW: 1, PadH: 0, PadW: 0 };
}
