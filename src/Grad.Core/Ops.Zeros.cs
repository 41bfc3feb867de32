namespace Grad;

public static partial class Ops
{
    /// <summary>Zeros of <paramref name="shape"/> with the dtype and device of
    /// <paramref name="like"/>: the generator's gradient for an input or a parameter that the
    /// output does not depend on.</summary>
    [Primitive(Role = PrimitiveRole.Zeros, Shape = "shape"), NonDifferentiable]
    public static Tensor Zeros(Shape shape, Tensor like) => Tensor.Zeros(shape, like.DType, like.Backend);
}
