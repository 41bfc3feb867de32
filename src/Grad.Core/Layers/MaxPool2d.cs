namespace Grad.Layers;

/// <summary>Max over k×k windows of (N, C, H, W), with a stride and padding that counts as −∞.</summary>
[Layer]
public sealed partial record MaxPool2d(int Kernel, int Stride, int Padding = 0)
{
    [Forward]
    public Tensor Forward(Tensor x) => Ops.MaxPool2d(x, Kernel, Stride, Padding);
}
