using Grad.Backends;
using Grad.Cpu;

namespace Grad.OpenCL;

/// <summary>
/// 3×3 convolutions with stride 1 and padding 1 by Winograd's F(2×2, 3×3) or F(4×4, 3×3), the
/// CPU backend's algorithm (<see cref="Conv2dWinograd"/>, whose shape rule chooses here too):
/// transform kernels (Winograd.cl) around α² batched GEMMs on the tuned GEMM kernel. Forward:
/// M[ξ] = U[ξ]·V[ξ] with U the transformed filters and V the transformed input tiles, then the
/// output transform. Input gradient: the same with the filters flipped and their channel axes
/// swapped. Weight gradient: dU[ξ] = dM[ξ]·V[ξ]ᵀ, dM the output gradient's adjoint transform,
/// summed over the tiles inside the GEMM, then the filter transform's adjoint.
/// </summary>
public sealed partial class OpenCLBackend
{
    /// <summary>Whether 3×3 stride-1 padding-1 convolutions run Winograd where the CPU backend's
    /// rule says it pays; off, every convolution is im2col + GEMM. On unless <c>grad tune</c>
    /// found im2col faster on this device (<see cref="ConvolutionTuner"/>).</summary>
    public bool Winograd { get; set; }

    /// <summary>Convolution passes this thread has run by Winograd, on any OpenCL device: how the
    /// tests know the path was taken. Per thread, so that work on other threads does not count.</summary>
    internal static long WinogradPassesOnThisThread => t_winogradPasses;

    [ThreadStatic] private static long t_winogradPasses;

    private bool UsesWinograd(ConvLayout l) => Winograd && Conv2dWinograd.Applies(l);

    /// <summary>The output (N, outChannels, H, W) of the convolution of <paramref name="input"/>
    /// (N, inChannels, H, W) with the filters <paramref name="w"/>, as (outChannels, inChannels)
    /// or, <paramref name="flipped"/>, rotated (inChannels, outChannels) ones.</summary>
    private void WinogradConvolve(Tensor input, int inChannels, Tensor w, int outChannels, bool flipped, ConvLayout l, Tensor output)
    {
        t_winogradPasses++;
        var (tile, options) = WinogradAlgorithm(l, input.DType);
        var tiles = new WinogradTiles(l, tile);
        using var u = Allocate(new Shape(tiles.Positions, outChannels, inChannels), input.DType);
        using var v = TransformInput(input, inChannels, tiles, options);
        using var m = Allocate(new Shape(tiles.Positions, outChannels, tiles.Count), input.DType);
        Launch("Winograd", "winograd_filter", options).Buffer(w).Int(w.Offset).Buffer(u).Int(outChannels).Int(inChannels)
            .Int(flipped ? 1 : 0).Run((long)outChannels * inChannels);
        Multiply(new GemmOperands(outChannels, tiles.Count, inChannels, tiles.Positions)
        {
            A = u, ABatch = outChannels * inChannels, B = v, BBatch = inChannels * tiles.Count, C = m, CBatch = outChannels * tiles.Count,
        });
        Launch("Winograd", "winograd_output", options).Buffer(m).Buffer(output).Int(outChannels).Int(l.H).Int(l.W)
            .Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)outChannels * tiles.Count);
    }

    /// <summary>dW = Gᵀ·(Σ over tiles of (A·dY·Aᵀ) ⊙ V)·G into dense <paramref name="dw"/>.</summary>
    private void WinogradBackwardWeight(Tensor outputGradient, Tensor x, ConvLayout l, Tensor dw)
    {
        t_winogradPasses++;
        var (tile, options) = WinogradAlgorithm(l, x.DType);
        var tiles = new WinogradTiles(l, tile);
        using var v = TransformInput(x, l.C, tiles, options);
        using var dm = Allocate(new Shape(tiles.Positions, l.O, tiles.Count), x.DType);
        using var du = Allocate(new Shape(tiles.Positions, l.O, l.C), x.DType);
        Launch("Winograd", "winograd_output_gradient", options).Buffer(outputGradient).Int(outputGradient.Offset).Buffer(dm)
            .Int(l.O).Int(l.H).Int(l.W).Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)l.O * tiles.Count);
        Multiply(new GemmOperands(l.O, l.C, tiles.Count, tiles.Positions)
        {
            A = dm, ABatch = l.O * tiles.Count, B = v, BBatch = l.C * tiles.Count, TransposeB = true, C = du, CBatch = l.O * l.C,
        });
        Launch("Winograd", "winograd_filter_gradient", options).Buffer(du).Buffer(dw).Int(l.O).Int(l.C).Run((long)l.O * l.C);
    }

    /// <summary>V (α², channels, tiles): every input tile of every channel in the transform domain.</summary>
    private Tensor TransformInput(Tensor input, int channels, WinogradTiles tiles, string options)
    {
        var v = Allocate(new Shape(tiles.Positions, channels, tiles.Count), input.DType);
        Launch("Winograd", "winograd_input", options).Buffer(input).Int(input.Offset).Buffer(v).Int(channels).Int(tiles.Height)
            .Int(tiles.Width).Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)channels * tiles.Count);
        return v;
    }

    /// <summary>F(4×4) or F(2×2) by the CPU's rule, and the build options of Winograd.cl for it
    /// (constants, so that the program lookup compares no new strings per launch).</summary>
    private static (int Tile, string Options) WinogradAlgorithm(ConvLayout l, DType dtype) =>
        (Conv2dWinograd.PrefersF4(l), dtype) switch
        {
            (true, DType.Float64) => (4, "-D real=double -D GRAD_FP64 -D TILE=4"),
            (true, _) => (4, "-D real=float -D TILE=4"),
            (false, DType.Float64) => (2, "-D real=double -D GRAD_FP64 -D TILE=2"),
            (false, _) => (2, "-D real=float -D TILE=2"),
        };

    /// <summary>The m×m output tiles covering a batch of H×W planes (the output's planes are the
    /// input's: 3×3, stride 1, padding 1), and the α² transform positions.</summary>
    private readonly record struct WinogradTiles(int Height, int Width, int Rows, int Columns, int Count, int Positions)
    {
        public WinogradTiles(ConvLayout l, int tile)
            : this(l.H, l.W, (l.H + tile - 1) / tile, (l.W + tile - 1) / tile, l.N * WinogradTiling.PerImage(l.H, l.W, tile), (tile + 2) * (tile + 2))
        {
        }
    }
}
