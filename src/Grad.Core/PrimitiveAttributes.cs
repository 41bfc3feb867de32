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

    /// <summary>What kind of operation this is, beyond its formulas (see <see cref="PrimitiveKind"/>).
    /// Element-wise primitives say so by declaring <see cref="Element"/>.</summary>
    public PrimitiveKind Kind { get; init; }

    /// <summary>
    /// The result's shape in terms of the parameters, so the generator can prove that a gradient
    /// already has its operand's shape (and drop the sum back to it). One of: a tensor
    /// parameter's name (<c>"x"</c>: the same shape); a <see cref="Grad.Shape"/> parameter's name
    /// (<c>"shape"</c>: that shape); <c>"Reduced(x, axes, keepDims)"</c> or <c>"Reduced(x)"</c>
    /// (every axis); <c>"Transposed(x)"</c> (the last two axes swapped); <c>"MatrixProduct(a, b)"</c>
    /// (NumPy's matmul rule). Element-wise primitives need none: their operands broadcast.
    /// </summary>
    public string? Shape { get; init; }

    /// <summary>The <see cref="Tensor"/> operator this primitive implements: <c>+ - * /</c>,
    /// <c>&lt; &gt; &lt;= &gt;=</c>, or <c>-</c> on a primitive of one tensor (negation). The
    /// generator lowers the operator to it, prints it back as the operator, and applies the
    /// algebra of the operator (x + x = 2·x, −(−x) = x, 1·x = x) to it.</summary>
    public string? Operator { get; init; }

    /// <summary>A job the generator gives this primitive in the backward code it writes
    /// (see <see cref="PrimitiveRole"/>).</summary>
    public PrimitiveRole Role { get; init; }

    /// <summary>The result is linear in the first tensor parameter (f(−x) = −f(x)): a negation
    /// moves out of a linear reduction onto its smaller result.</summary>
    public bool Linear { get; init; }

    /// <summary>For a <see cref="PrimitiveKind.StateUpdate"/>: the function of the same class
    /// that gives the state's next value; it is called with the primitive's arguments.</summary>
    public string? Update { get; init; }
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

/// <summary>What the generator may assume about a primitive besides its formulas.</summary>
public enum PrimitiveKind
{
    /// <summary>Nothing beyond the formulas and the <see cref="PrimitiveAttribute.Shape"/>.</summary>
    General,

    /// <summary>A new shape or strides over the first operand's storage, no arithmetic: free to
    /// recompute, so the backward recomputes views of parameters (<c>W.T</c>) instead of keeping
    /// them on the tape, and never saves one as a common subexpression.</summary>
    View,

    /// <summary>Combines elements along axes (sum, mean, max); the
    /// <see cref="PrimitiveAttribute.Shape"/> says which.</summary>
    Reduction,

    /// <summary>The result is a statistic tracked by a [State] tensor, the first parameter: a
    /// training forward also computes the state's next value with
    /// <see cref="PrimitiveAttribute.Update"/>, and an eval forward reads the state instead of
    /// computing the result.</summary>
    StateUpdate,
}

/// <summary>The jobs the generator gives primitives in the backward code it writes.</summary>
public enum PrimitiveRole
{
    None,

    /// <summary><c>(Tensor gradient, Shape shape)</c>: sums a gradient back to the shape of an
    /// operand that was broadcast (the gradient of every <see cref="PrimitiveAttribute.Broadcasts"/>
    /// operand goes through it).</summary>
    SumTo,

    /// <summary><c>(Shape shape, Tensor like)</c>: zeros of a shape, with the dtype and device of
    /// <c>like</c>: the gradient of an input or parameter the output does not depend on.</summary>
    Zeros,
}

/// <summary>
/// An identity the generator's simplifier applies to backward code, written as two C#
/// expressions over the primitives: single lower-case names stand for any expression, and
/// <c>e.Shape</c> matches the shape of a value that is <c>e</c>. Each must hold for every shape.
/// </summary>
/// <example><c>[Rewrite("Transpose(Transpose(x))", "x")]</c> on <c>Transpose</c>.</example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RewriteAttribute(string pattern, string replacement) : Attribute
{
    public string Pattern { get; } = pattern;
    public string Replacement { get; } = replacement;
}

/// <summary>In a [Forward], this <see cref="Tensor"/> member means the <see cref="Ops"/>
/// primitive of the given name applied to the receiver (then the member's arguments, if any).</summary>
/// <example><c>[AsPrimitive(nameof(Ops.Transpose))]</c> on <c>Tensor.T</c>.</example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class AsPrimitiveAttribute(string primitive) : Attribute
{
    public string Primitive { get; } = primitive;
}
