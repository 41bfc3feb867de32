using Grad.Backends;
using Grad.Cpu;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    /// <summary>The most elements a chunk's column matrix may hold: images are lowered a chunk at
    /// a time, so a large batch never needs its whole im2col matrix at once.</summary>
    internal long ColumnBudget { get; set; } = 16L << 20;

    /// <summary>y = W (O, C·KH·KW) · columns(x), one product per chunk of images, then laid out image by
    /// image; a pointwise convolution multiplies each image itself; a 3×3 one where Winograd pays
    /// runs that (<see cref="WinogradConvolve"/>).</summary>
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
            using var chunk = OutputsOfChunk(y, first, images, l);
            using var product = images == 1 ? chunk.Alias() : Allocate(new Shape(l.O, images * l.Positions), x.DType);
            Multiply(new GemmOperands(l.O, images * l.Positions, l.Patch, 1) { A = weights, AOffset = weights.Offset, B = columns, C = product, COffset = product.Offset });
            if (images == 1) return;
            using var byImage = product.View(new Shape(images, l.O, l.Positions), [l.Positions, images * l.Positions, 1], product.Offset);
            CopyInto(byImage, chunk);
        });
        return y;
    }

    /// <summary>dx: the column gradients Wᵀ · dy (dy of a chunk laid out channel by channel), folded back
    /// onto the images (col2im).</summary>
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
            using var chunk = OutputGradientsByChannel(gradient, first, images, l);
            Multiply(new GemmOperands(l.Patch, images * l.Positions, l.O, 1)
            {
                A = weights, AOffset = weights.Offset, TransposeA = true, B = chunk, BOffset = chunk.Offset, C = columns,
            });
            long total = (long)images * l.C * l.H * l.W;
            Launch("Convolution", "col2im", RealOptions(w.DType)).Buffer(columns).Buffer(dx).Int(first * l.C * l.H * l.W)
                .Sizes(l).Int(images).Int((int)total).Run(total);
        });
        return dx;
    }

    /// <summary>dW = dy · columns(x)ᵀ, a chunk's images summed inside one product (and the chunks added up).</summary>
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
            using var chunk = OutputGradientsByChannel(gradient, first, images, l);
            Multiply(new GemmOperands(l.O, l.Patch, images * l.Positions, 1)
            {
                A = chunk, AOffset = chunk.Offset, B = columns, TransposeB = true, C = dw, Accumulate = first > 0,
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
        using var columns = Allocate(new Shape(l.Patch, chunk * l.Positions), dtype);
        for (int first = 0; first < l.N; first += chunk) body(first, Math.Min(chunk, l.N - first), columns);
    }

    /// <summary>Lowers a chunk of images into one (C·KH·KW, images·OH·OW) column matrix, so a chunk is one
    /// wide product rather than a product per image (a deep layer's plane is only a few cells wide).</summary>
    private void Im2Col(Tensor input, int first, int images, ConvLayout l, Tensor columns)
    {
        long total = (long)images * l.Patch * l.Positions;
        Launch("Convolution", "im2col", RealOptions(input.DType)).Buffer(input).Int(input.Offset + first * l.C * l.H * l.W).Buffer(columns)
            .Sizes(l).Int(images).Int((int)total).Run(total);
    }

    /// <summary>The chunk's images of a contiguous (N, O, OH, OW) tensor, as a view (images, O, OH·OW).</summary>
    private static Tensor OutputsOfChunk(Tensor outputs, int first, int images, ConvLayout l) =>
        outputs.View(new Shape(images, l.O, l.Positions), [l.O * l.Positions, l.Positions, 1], outputs.Offset + first * l.O * l.Positions);

    /// <summary>The chunk's output gradients laid out as the chunk's product is, (O, images·OH·OW):
    /// a view of a single image's, a copy of several.</summary>
    private Tensor OutputGradientsByChannel(Tensor gradient, int first, int images, ConvLayout l)
    {
        int start = gradient.Offset + first * l.O * l.Positions;
        if (images == 1) return gradient.View(new Shape(l.O, l.Positions), [l.Positions, 1], start);
        using var byChannel = gradient.View(new Shape(l.O, images, l.Positions), [l.Positions, l.O * l.Positions, 1], start);
        var copy = Allocate(byChannel.Shape, gradient.DType);
        CopyInto(byChannel, copy);
        return copy;
    }
}
