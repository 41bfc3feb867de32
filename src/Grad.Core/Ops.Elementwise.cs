namespace Grad;

/// <summary>
/// The primitive operations of Grad. Layers call them (usually through <c>using static Grad.Ops;</c>);
/// each checks its arguments, then dispatches to the tensor's backend. Each differentiable
/// primitive carries its derivative rules as <see cref="DerivativeAttribute"/>s. The element-wise
/// primitives below are defined by their <c>Element</c> formula alone: the generator writes
/// their bodies and their kernels for every target from it.
/// </summary>
public static partial class Ops
{
    [Primitive(Broadcasts = true, Element = "a + b", Operator = "+")]
    [Derivative("a", "g")]
    [Derivative("b", "g")]
    public static partial Tensor Add(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a - b", Operator = "-")]
    [Derivative("a", "g")]
    [Derivative("b", "-g")]
    public static partial Tensor Subtract(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a * b", Operator = "*")]
    [Derivative("a", "g * b")]
    [Derivative("b", "g * a")]
    public static partial Tensor Multiply(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a / b", Operator = "/")]
    [Derivative("a", "g / b")]
    [Derivative("b", "-g * result / b")]
    public static partial Tensor Divide(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "pow(a, b)")]
    [Derivative("a", "g * b * Pow(a, b - 1.0)")]
    [Derivative("b", "g * result * Log(a)")]
    public static partial Tensor Pow(Tensor a, Tensor b);

    [Primitive(Element = "pow(a, exponent)")]
    [Derivative("a", "g * exponent * Pow(a, exponent - 1.0)")]
    public static partial Tensor Pow(Tensor a, double exponent);

    /// <summary>Element-wise maximum; where a = b the gradient goes to a.</summary>
    [Primitive(Broadcasts = true, Element = "max(a, b)")]
    [Derivative("a", "g * GreaterOrEqual(a, b)")]
    [Derivative("b", "g * Less(a, b)")]
    public static partial Tensor Maximum(Tensor a, Tensor b);

    [Primitive(Element = "max(a, b)")]
    [Derivative("a", "g * GreaterOrEqual(a, b)")]
    public static partial Tensor Maximum(Tensor a, double b);

    /// <summary>Element-wise minimum; where a = b the gradient goes to a.</summary>
    [Primitive(Broadcasts = true, Element = "min(a, b)")]
    [Derivative("a", "g * LessOrEqual(a, b)")]
    [Derivative("b", "g * Greater(a, b)")]
    public static partial Tensor Minimum(Tensor a, Tensor b);

    [Primitive(Element = "min(a, b)")]
    [Derivative("a", "g * LessOrEqual(a, b)")]
    public static partial Tensor Minimum(Tensor a, double b);

    [Primitive(Broadcasts = true, Element = "a == b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor Equal(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a != b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor NotEqual(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a < b ? 1 : 0", Operator = "<"), NonDifferentiable]
    public static partial Tensor Less(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a <= b ? 1 : 0", Operator = "<="), NonDifferentiable]
    public static partial Tensor LessOrEqual(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a > b ? 1 : 0", Operator = ">"), NonDifferentiable]
    public static partial Tensor Greater(Tensor a, Tensor b);

    [Primitive(Broadcasts = true, Element = "a >= b ? 1 : 0", Operator = ">="), NonDifferentiable]
    public static partial Tensor GreaterOrEqual(Tensor a, Tensor b);

    [Primitive(Element = "a == b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor Equal(Tensor a, double b);

    [Primitive(Element = "a != b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor NotEqual(Tensor a, double b);

    [Primitive(Element = "a > b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor Greater(Tensor a, double b);

    [Primitive(Element = "a >= b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor GreaterOrEqual(Tensor a, double b);

    [Primitive(Element = "a < b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor Less(Tensor a, double b);

    [Primitive(Element = "a <= b ? 1 : 0"), NonDifferentiable]
    public static partial Tensor LessOrEqual(Tensor a, double b);

    [Primitive(Element = "-x", Operator = "-")]
    [Derivative("x", "-g")]
    public static partial Tensor Negate(Tensor x);

    [Primitive(Element = "exp(x)")]
    [Derivative("x", "g * result")]
    public static partial Tensor Exp(Tensor x);

    [Primitive(Element = "log(x)")]
    [Derivative("x", "g / x")]
    public static partial Tensor Log(Tensor x);

    [Primitive(Element = "sqrt(x)")]
    [Derivative("x", "g * 0.5 / result")]
    public static partial Tensor Sqrt(Tensor x);

    [Primitive(Element = "abs(x)")]
    [Derivative("x", "g * (Greater(x, 0.0) - Less(x, 0.0))")]
    public static partial Tensor Abs(Tensor x);

    [Primitive(Element = "tanh(x)")]
    [Derivative("x", "g * (1.0 - result * result)")]
    public static partial Tensor Tanh(Tensor x);

    [Primitive(Element = "1 / (1 + exp(-x))")]
    [Derivative("x", "g * result * (1.0 - result)")]
    public static partial Tensor Sigmoid(Tensor x);

    [Primitive(Element = "max(x, 0)")]
    [Derivative("x", "g * Greater(x, 0.0)")]
    public static partial Tensor Relu(Tensor x);

    /// <summary>The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt.</summary>
    [Primitive(Element = "erf(x)")]
    [Derivative("x", "g * 1.1283791670955126 * Exp(-(x * x))")]
    public static partial Tensor Erf(Tensor x);

    [Primitive(Element = "x * x")]
    [Derivative("x", "2.0 * g * x")]
    public static partial Tensor Square(Tensor x);

    [Primitive(Element = "1 / x")]
    [Derivative("x", "-g * result * result")]
    public static partial Tensor Reciprocal(Tensor x);

    /// <summary>Element-wise choice: <paramref name="whenTrue"/> where <paramref name="condition"/>
    /// is non-zero, else <paramref name="whenFalse"/>; the three broadcast together.</summary>
    [Primitive(Broadcasts = true, Element = "condition != 0 ? whenTrue : whenFalse")]
    [Derivative("whenTrue", "g * NotEqual(condition, 0.0)")]
    [Derivative("whenFalse", "g * Equal(condition, 0.0)")]
    public static partial Tensor Where([NonDifferentiable] Tensor condition, Tensor whenTrue, Tensor whenFalse);
}
