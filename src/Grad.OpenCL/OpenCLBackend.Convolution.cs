using Grad.Backends;
using Grad.Cpu;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    /// <summary>The most elements a chunk's column matrix may hold: images are lowered a chunk at
    /// a time, so a large batch never needs its whole im2col matrix at once.</summary>
    private const long ColumnBudget = 16L << 20;

    /// <summary>y[n] = W (O, C·KH·KW) · columns(x[n]); a pointwise convolution multiplies x itself;
    /// a 3×3 one where Winograd pays runs that (<see cref="WinogradConvolve"/>).</summary>
    public Tensor Conv2d(Tensor x, Tensor w, Conv2dGeometry geometry)
    {
        using var input = x.Contiguous();
        using var weights = w.Contiguous();
        var l = ConvLayout.Of(x.Shape, w.Shape, geometry);
        var y = Allocate(l.OutputShape, x.DType);
        int outputPlane = l.O * l.Positions;
        if (l.IsPointwise)
        {
            Multiply(new GemmOperands(l.O, l.Positions, l.C, l.N)
            {
                A = weights, AOffset = weights.Offset, B = input, BOffset = input.Offset, BBatch = l.C * l.Positions,
                C = y, CBatch = outputPlane,
            });
            return y;
        }
        if (UsesWinograd(l))
        {
            WinogradConvolve(input, l.C, weights, l.O, flipped: false, l, y);
            return y;
        }
        ForEachChunk(l, x.DType, (first, images, columns) =>
        {
            Im2Col(input, first, images, l, columns);
            Multiply(new GemmOperands(l.O, l.Positions, l.Patch, images)
            {
                A = weights, AOffset = weights.Offset, B = columns, BBatch = l.Patch * l.Positions,
                C = y, COffset = first * outputPlane, CBatch = outputPlane,
            });
        });
        return y;
    }

    /// <summary>dx: the column gradients Wᵀ · dy[n], folded back onto the image (col2im).</summary>
    public Tensor Conv2dBackwardInput(Tensor outputGradient, Tensor w, Shape inputShape, Conv2dGeometry geometry)
    {
        using var gradient = outputGradient.Contiguous();
        using var weights = w.Contiguous();
        var l = ConvLayout.Of(inputShape, w.Shape, geometry);
        var dx = Allocate(inputShape, w.DType);
        int outputPlane = l.O * l.Positions;
        if (l.IsPointwise)
        {
            Multiply(new GemmOperands(l.C, l.Positions, l.O, l.N)
            {
                A = weights, AOffset = weights.Offset, TransposeA = true,
                B = gradient, BOffset = gradient.Offset, BBatch = outputPlane, C = dx, CBatch = l.C * l.Positions,
            });
            return dx;
        }
        if (UsesWinograd(l))
        {
            WinogradConvolve(gradient, l.O, weights, l.C, flipped: true, l, dx);
            return dx;
        }
        ForEachChunk(l, w.DType, (first, images, columns) =>
        {
            Multiply(new GemmOperands(l.Patch, l.Positions, l.O, images)
            {
                A = weights, AOffset = weights.Offset, TransposeA = true,
                B = gradient, BOffset = gradient.Offset + first * outputPlane, BBatch = outputPlane,
                C = columns, CBatch = l.Patch * l.Positions,
            });
            long total = (long)images * l.C * l.H * l.W;
            Launch("Convolution", "col2im", RealOptions(w.DType)).Buffer(columns).Buffer(dx).Int(first * l.C * l.H * l.W)
                .Sizes(l).Int((int)total).Run(total);
        });
        return dx;
    }

    /// <summary>dW = Σₙ dy[n] · columns(x[n])ᵀ, summed over the images inside the kernel.</summary>
    public Tensor Conv2dBackwardWeight(Tensor outputGradient, Tensor x, Shape weightShape, Conv2dGeometry geometry)
    {
        using var gradient = outputGradient.Contiguous();
        using var input = x.Contiguous();
        var l = ConvLayout.Of(x.Shape, weightShape, geometry);
        var dw = Allocate(weightShape, x.DType);
        int outputPlane = l.O * l.Positions;
        if (l.IsPointwise)
        {
            Multiply(new GemmOperands(l.O, l.C, l.Positions, l.N)
            {
                A = gradient, AOffset = gradient.Offset, ABatch = outputPlane,
                B = input, BOffset = input.Offset, BBatch = l.C * l.Positions, TransposeB = true,
                C = dw, SumBatches = true,
            });
            return dw;
        }
        if (UsesWinograd(l))
        {
            WinogradBackwardWeight(gradient, input, l, dw);
            return dw;
        }
        ForEachChunk(l, x.DType, (first, images, columns) =>
        {
            Im2Col(input, first, images, l, columns);
            Multiply(new GemmOperands(l.O, l.Patch, l.Positions, images)
            {
                A = gradient, AOffset = gradient.Offset + first * outputPlane, ABatch = outputPlane,
                B = columns, BBatch = l.Patch * l.Positions, TransposeB = true,
                C = dw, SumBatches = true, Accumulate = first > 0,
            });
        });
        return dw;
    }

    /// <summary>Calls <paramref name="body"/> for each chunk of images (first image, image count)
    /// with one column buffer big enough for the largest chunk.</summary>
    private void ForEachChunk(ConvLayout l, DType dtype, Action<int, int, Tensor> body)
    {
        long perImage = (long)l.Patch * l.Positions;
        int chunk = (int)Math.Clamp(ColumnBudget / Math.Max(perImage, 1), 1, Math.Max(l.N, 1));
        using var columns = Allocate(new Shape(chunk, l.Patch, l.Positions), dtype);
        for (int first = 0; first < l.N; first += chunk) body(first, Math.Min(chunk, l.N - first), columns);
    }

    private void Im2Col(Tensor input, int first, int images, ConvLayout l, Tensor columns)
    {
        long total = (long)images * l.Patch * l.Positions;
        Launch("Convolution", "im2col", RealOptions(input.DType)).Buffer(input).Int(input.Offset + first * l.C * l.H * l.W).Buffer(columns)
            .Sizes(l).Int((int)total).Run(total);
    }
}
