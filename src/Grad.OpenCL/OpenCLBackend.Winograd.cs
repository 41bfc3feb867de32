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

    /// <summary>Where the CPU's rule says Winograd pays, and its transform-domain buffers stay
    /// within the kernels' int offsets (thousands of 32×32 images of 512 channels would not).</summary>
    internal bool UsesWinograd(ConvLayout l) =>
        Winograd && Conv2dWinograd.Applies(l) && new WinogradTiles(l).TransformedElements(Math.Max(l.C, l.O)) <= int.MaxValue;

    /// <summary>The output (N, outChannels, H, W) of the convolution of <paramref name="input"/>
    /// (N, inChannels, H, W) with the filters <paramref name="w"/>, as (outChannels, inChannels)
    /// or, <paramref name="flipped"/>, rotated (inChannels, outChannels) ones.</summary>
    private void WinogradConvolve(Tensor input, int inChannels, Tensor w, int outChannels, bool flipped, ConvLayout l, Tensor output)
    {
        t_winogradPasses++;
        var tiles = new WinogradTiles(l);
        using var u = Allocate(new Shape(tiles.Positions, outChannels, inChannels), input.DType);
        using var v = TransformInput(input, inChannels, tiles);
        using var m = Allocate(new Shape(tiles.Positions, outChannels, tiles.Count), input.DType);
        LaunchWinograd(tiles.Tile, "winograd_filter", input.DType).Buffer(w).Int(w.Offset).Buffer(u).Int(outChannels).Int(inChannels)
            .Int(flipped ? 1 : 0).Run((long)outChannels * inChannels);
        Multiply(new GemmOperands(outChannels, tiles.Count, inChannels, tiles.Positions)
        {
            A = u, ABatch = outChannels * inChannels, B = v, BBatch = inChannels * tiles.Count, C = m, CBatch = outChannels * tiles.Count,
        });
        LaunchWinograd(tiles.Tile, "winograd_output", input.DType).Buffer(m).Buffer(output).Int(outChannels).Int(l.H).Int(l.W)
            .Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)outChannels * tiles.Count);
    }

    /// <summary>dW = Gᵀ·(Σ over tiles of (A·dY·Aᵀ) ⊙ V)·G into dense <paramref name="dw"/>.</summary>
    private void WinogradBackwardWeight(Tensor outputGradient, Tensor x, ConvLayout l, Tensor dw)
    {
        t_winogradPasses++;
        var tiles = new WinogradTiles(l);
        using var v = TransformInput(x, l.C, tiles);
        using var dm = Allocate(new Shape(tiles.Positions, l.O, tiles.Count), x.DType);
        using var du = Allocate(new Shape(tiles.Positions, l.O, l.C), x.DType);
        LaunchWinograd(tiles.Tile, "winograd_output_gradient", x.DType).Buffer(outputGradient).Int(outputGradient.Offset).Buffer(dm)
            .Int(l.O).Int(l.H).Int(l.W).Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)l.O * tiles.Count);
        Multiply(new GemmOperands(l.O, l.C, tiles.Count, tiles.Positions)
        {
            A = dm, ABatch = l.O * tiles.Count, B = v, BBatch = l.C * tiles.Count, TransposeB = true, C = du, CBatch = l.O * l.C,
        });
        LaunchWinograd(tiles.Tile, "winograd_filter_gradient", x.DType).Buffer(du).Buffer(dw).Int(l.O).Int(l.C).Run((long)l.O * l.C);
    }

    /// <summary>V (α², channels, tiles): every input tile of every channel in the transform domain.</summary>
    private Tensor TransformInput(Tensor input, int channels, WinogradTiles tiles)
    {
        var v = Allocate(new Shape(tiles.Positions, channels, tiles.Count), input.DType);
        LaunchWinograd(tiles.Tile, "winograd_input", input.DType).Buffer(input).Int(input.Offset).Buffer(v).Int(channels).Int(tiles.Height)
            .Int(tiles.Width).Int(tiles.Rows).Int(tiles.Columns).Int(tiles.Count).Run((long)channels * tiles.Count);
        return v;
    }

    /// <summary>A launch of one of the kernels of F(m×m, 3×3), m = <paramref name="tile"/>.</summary>
    private KernelLaunch LaunchWinograd(int tile, string kernel, DType dtype) =>
        LaunchSource("Winograd", WinogradProgram.Source(tile), RealOptions(dtype), kernel);

    /// <summary>The m×m output tiles covering a batch of H×W planes (the output's planes are the
    /// input's: 3×3, stride 1, padding 1), m = 4 or 2 by the CPU's rule, and the α² transform positions.</summary>
    private readonly struct WinogradTiles
    {
        public WinogradTiles(ConvLayout l)
        {
            Tile = Conv2dWinograd.PrefersF4(l) ? 4 : 2;
            (Height, Width) = (l.H, l.W);
            (Rows, Columns) = ((l.H + Tile - 1) / Tile, (l.W + Tile - 1) / Tile);
            Count = l.N * Rows * Columns;
            Positions = (Tile + 2) * (Tile + 2);
        }

        public int Tile { get; }
        public int Height { get; }
        public int Width { get; }
        public int Rows { get; }
        public int Columns { get; }
        public int Count { get; }
        public int Positions { get; }

        /// <summary>Elements of a transform-domain buffer of <paramref name="channels"/> channels (α², channels, tiles).</summary>
        public long TransformedElements(int channels) => (long)Positions * channels * Count;
    }
}
