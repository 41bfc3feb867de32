namespace Grad;

/// <summary>
/// Declares an element-wise kernel by its formula, on a <c>partial class</c> deriving from
/// <see cref="Fusion.ElementwiseKernel"/>: the generator writes the class's members (its CPU
/// row loop and its OpenCL C) from the formula, so the computation is written once. The formula
/// is in the element language of <see cref="PrimitiveAttribute.Element"/>; it may bind
/// <c>var</c> locals and return several outputs as a tuple, all of the inputs' broadcast shape.
/// </summary>
/// <example>
/// <code>
/// [Elementwise("""
///     var v1 = mu * v + g;
///     return (p - lr * v1, v1);
///     """, Inputs = ["p", "g", "v"], Scalars = ["lr", "mu"])]
/// internal sealed partial class MomentumStep : ElementwiseKernel;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ElementwiseAttribute(string formula) : Attribute
{
    public string Formula { get; } = formula;

    /// <summary>The names of the tensor inputs, in the order the kernel is called with them.</summary>
    public string[] Inputs { get; init; } = [];

    /// <summary>The names of the scalar arguments (doubles), in call order.</summary>
    public string[] Scalars { get; init; } = [];
}
