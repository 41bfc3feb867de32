using Grad.Backends;

namespace Grad.Cpu;

/// <summary>Convolution, pooling and one-hot: contiguous operands, then the float or double kernel.</summary>
public sealed partial class CpuBackend
{
    public Tensor Conv2d(Tensor x, Tensor w, Conv2dGeometry geometry)
    {
        using var input = x.Contiguous();
        using var weights = w.Contiguous();
        var layout = ConvLayout.Of(x.Shape, w.Shape, geometry);
        var y = Allocate(layout.OutputShape, x.DType);
        if (x.DType == DType.Float32) Conv2dKernels.Forward<float>(this, input, weights, layout, y);
        else Conv2dKernels.Forward<double>(this, input, weights, layout, y);
        return y;
    }

    public Tensor Conv2dBackwardInput(Tensor outputGradient, Tensor w, Shape inputShape, Conv2dGeometry geometry)
    {
        using var gradient = outputGradient.Contiguous();
        using var weights = w.Contiguous();
        var layout = ConvLayout.Of(inputShape, w.Shape, geometry);
        var dx = Allocate(inputShape, w.DType);
        if (w.DType == DType.Float32) Conv2dKernels.BackwardInput<float>(this, gradient, weights, layout, dx);
        else Conv2dKernels.BackwardInput<double>(this, gradient, weights, layout, dx);
        return dx;
    }

    public Tensor Conv2dBackwardWeight(Tensor outputGradient, Tensor x, Shape weightShape, Conv2dGeometry geometry)
    {
        using var gradient = outputGradient.Contiguous();
        using var input = x.Contiguous();
        var layout = ConvLayout.Of(x.Shape, weightShape, geometry);
        var dw = Allocate(weightShape, x.DType);
        if (x.DType == DType.Float32) Conv2dKernels.BackwardWeight<float>(this, gradient, input, layout, dw);
        else Conv2dKernels.BackwardWeight<double>(this, gradient, input, layout, dw);
        return dw;
    }

    public (Tensor Output, Tensor Indices) MaxPool2d(Tensor x, Pool2dGeometry geometry)
    {
        using var input = x.Contiguous();
        var shape = new Shape(x.Shape[0], x.Shape[1], geometry.OutputHeight(x.Shape[2]), geometry.OutputWidth(x.Shape[3]));
        var output = Allocate(shape, x.DType);
        var indices = Allocate(shape, DType.Int32);
        if (x.DType == DType.Float32) MaxPool2dKernels.Forward<float>(input, geometry, output, indices);
        else MaxPool2dKernels.Forward<double>(input, geometry, output, indices);
        return (output, indices);
    }

    public Tensor MaxPool2dBackward(Tensor outputGradient, Tensor indices, Shape inputShape)
    {
        using var gradient = outputGradient.Contiguous();
        using var winners = indices.Contiguous();
        var dx = Allocate(inputShape, outputGradient.DType);
        if (dx.DType == DType.Float32) MaxPool2dKernels.Backward<float>(gradient, winners, dx);
        else MaxPool2dKernels.Backward<double>(gradient, winners, dx);
        return dx;
    }

    public Tensor OneHot(Tensor indices, int classes, DType dtype)
    {
        using var classIndices = indices.Contiguous();
        var y = Allocate(new Shape(indices.Shape[0], classes), dtype);
        if (dtype == DType.Float32) OneHotKernel.Encode<float>(Span<int>(classIndices), classes, Span<float>(y));
        else OneHotKernel.Encode<double>(Span<int>(classIndices), classes, Span<double>(y));
        return y;
    }
}
