namespace Grad;

/// <summary>
/// Marks a static method returning a <see cref="Tensor"/> as a differentiable primitive. Its
/// derivative rules are <see cref="DerivativeAttribute"/>s on the same method, so a reader finds
/// the forward and its backward in one place (PyTorch's derivatives.yaml, in C#). Primitives may be
/// declared in any assembly; the generator reads them from metadata.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PrimitiveAttribute : Attribute
{
    /// <summary>The tensor operands broadcast (NumPy rules): the generator sums each operand's
    /// gradient back to the operand's shape.</summary>
    public bool Broadcasts { get; init; }

    /// <summary>
    /// For element-wise primitives: the result for one element, in the small C-like language
    /// that the generator's C# and OpenCL emitters share (the parameter names, numbers, + − × ÷,
    /// comparisons, <c>?:</c>, and exp, log, sqrt, tanh, abs, max, min, pow). Chains of such
    /// primitives are fused into one loop instead of one temporary tensor per operator.
    /// </summary>
    /// <example><c>Element = "max(x, 0)"</c> on <c>Relu(Tensor x)</c>.</example>
    public string? Element { get; init; }
}

/// <summary>
/// The vector-Jacobian product of a primitive with respect to one tensor parameter, as a C#
/// expression. In scope: <c>g</c> (the gradient of the result), <c>result</c>, and the
/// primitive's parameters by name; <c>p.Shape</c> saves only a shape. Calls resolve against
/// <c>Grad.Ops</c> and the primitive's own class.
/// </summary>
/// <example><c>[Derivative("x", "g * result")]</c> on <c>Exp(Tensor x)</c>.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class DerivativeAttribute(string parameter, string formula) : Attribute
{
    public string Parameter { get; } = parameter;
    public string Formula { get; } = formula;
}

/// <summary>A primitive (or parameter) through which no gradient flows: comparisons,
/// arg-max, one-hot encodings.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter, Inherited = false)]
public sealed class NonDifferentiableAttribute : Attribute;
