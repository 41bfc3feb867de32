namespace Grad.Layers;

/// <summary>Softmax over the last axis.</summary>
[Layer]
public sealed partial record Softmax
{
    [Forward]
    public Tensor Forward(Tensor x) => Ops.Softmax(x, -1);
}
