using Grad.Backends;

namespace Grad.OpenCL;

public sealed partial class OpenCLBackend
{
    public (Tensor Output, Tensor Indices) MaxPool2d(Tensor x, Pool2dGeometry g)
    {
        using var input = x.Contiguous();
        int h = x.Shape[2], w = x.Shape[3];
        var shape = new Shape(x.Shape[0], x.Shape[1], g.OutputHeight(h), g.OutputWidth(w));
        var output = Allocate(shape, x.DType);
        var indices = Allocate(shape, DType.Int32);
        Launch("Pooling", "max_pool", RealOptions(x.DType)).Buffer(input).Int(input.Offset).Buffer(output).Buffer(indices)
            .Int(h).Int(w).Int(shape[2]).Int(shape[3]).Int(g.KernelH).Int(g.KernelW).Int(g.StrideH).Int(g.StrideW).Int(g.PadH).Int(g.PadW)
            .Int(output.ElementCount).Run(output.ElementCount);
        return (output, indices);
    }

    public Tensor MaxPool2dBackward(Tensor outputGradient, Tensor indices, Shape inputShape)
    {
        using var gradient = outputGradient.Contiguous();
        using var winners = indices.Contiguous();
        var dx = Allocate(inputShape, outputGradient.DType);
        int planes = inputShape[0] * inputShape[1];
        Launch("Pooling", "max_pool_backward", RealOptions(dx.DType)).Buffer(gradient).Int(gradient.Offset).Buffer(winners).Int(winners.Offset)
            .Buffer(dx).Int(inputShape[2] * inputShape[3]).Int(outputGradient.Shape[2] * outputGradient.Shape[3]).Int(planes)
            .Run(planes);
        return dx;
    }

    public Tensor OneHot(Tensor indices, int classes, DType dtype)
    {
        using var classIndices = indices.Contiguous();
        var y = Allocate(new Shape(indices.Shape[0], classes), dtype);
        Launch("OneHot", "one_hot", RealOptions(dtype)).Buffer(classIndices).Int(classIndices.Offset).Buffer(y).Int(classes)
            .Int(y.ElementCount).Run(y.ElementCount);
        return y;
    }
}
