using Grad.Backends;

namespace Grad.Cpu;

public sealed partial class CpuBackend
{
    public Tensor Conv2d(Tensor x, Tensor w, Conv2dGeometry geometry) => throw new NotImplementedException();
    public Tensor Conv2dBackwardInput(Tensor outputGradient, Tensor w, Shape inputShape, Conv2dGeometry geometry) => throw new NotImplementedException();
    public Tensor Conv2dBackwardWeight(Tensor outputGradient, Tensor x, Shape weightShape, Conv2dGeometry geometry) => throw new NotImplementedException();
    public (Tensor Output, Tensor Indices) MaxPool2d(Tensor x, Pool2dGeometry geometry) => throw new NotImplementedException();
    public Tensor MaxPool2dBackward(Tensor outputGradient, Tensor indices, Shape inputShape) => throw new NotImplementedException();
    public Tensor OneHot(Tensor indices, int classes, DType dtype) => throw new NotImplementedException();
}
