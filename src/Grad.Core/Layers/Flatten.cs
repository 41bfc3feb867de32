namespace Grad.Layers;

/// <summary>(N, …) → (N, rest).</summary>
[Layer]
public sealed partial record Flatten
{
    [Forward]
    public Tensor Forward(Tensor x) => Ops.Flatten(x);
}
