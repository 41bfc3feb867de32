namespace Grad.Layers;

/// <summary>max(x, 0), element-wise.</summary>
[Layer]
public sealed partial record ReLU
{
    [Forward]
    public Tensor Forward(Tensor x) => Relu(x);
}
