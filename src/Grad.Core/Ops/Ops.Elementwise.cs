using Grad.Backends;

namespace Grad;

/// <summary>
/// The primitive operations of Grad. Layers call them (usually through <c>using static Grad.Ops;</c>);
/// each checks its arguments, then dispatches to the tensor's backend. Each differentiable
/// primitive carries its derivative rules as <see cref="DerivativeAttribute"/>s.
/// </summary>
public static partial class Ops
{
    [Primitive(Broadcasts = true, Element = "a + b", Operator = "+")]
    [Derivative("a", "g")]
    [Derivative("b", "g")]
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);

    [Primitive(Broadcasts = true, Element = "a - b", Operator = "-")]
    [Derivative("a", "g")]
    [Derivative("b", "-g")]
    public static Tensor Subtract(Tensor a, Tensor b) => Binary(BinaryOp.Subtract, a, b);

    [Primitive(Broadcasts = true, Element = "a * b", Operator = "*")]
    [Derivative("a", "g * b")]
    [Derivative("b", "g * a")]
    public static Tensor Multiply(Tensor a, Tensor b) => Binary(BinaryOp.Multiply, a, b);

    [Primitive(Broadcasts = true, Element = "a / b", Operator = "/")]
    [Derivative("a", "g / b")]
    [Derivative("b", "-g * result / b")]
    public static Tensor Divide(Tensor a, Tensor b) => Binary(BinaryOp.Divide, a, b);

    [Primitive(Broadcasts = true, Element = "pow(a, b)")]
    [Derivative("a", "g * b * Pow(a, b - 1.0)")]
    [Derivative("b", "g * result * Log(a)")]
    public static Tensor Pow(Tensor a, Tensor b) => Binary(BinaryOp.Power, a, b);

    [Primitive(Element = "pow(a, exponent)")]
    [Derivative("a", "g * exponent * Pow(a, exponent - 1.0)")]
    public static Tensor Pow(Tensor a, double exponent) => Binary(BinaryOp.Power, a, exponent);

    /// <summary>Element-wise maximum; where a = b the gradient goes to a.</summary>
    [Primitive(Broadcasts = true, Element = "max(a, b)")]
    [Derivative("a", "g * GreaterOrEqual(a, b)")]
    [Derivative("b", "g * Less(a, b)")]
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b);

    [Primitive(Element = "max(a, b)")]
    [Derivative("a", "g * GreaterOrEqual(a, b)")]
    public static Tensor Maximum(Tensor a, double b) => Binary(BinaryOp.Maximum, a, b);

    /// <summary>Element-wise minimum; where a = b the gradient goes to a.</summary>
    [Primitive(Broadcasts = true, Element = "min(a, b)")]
    [Derivative("a", "g * LessOrEqual(a, b)")]
    [Derivative("b", "g * Greater(a, b)")]
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b);

    [Primitive(Element = "min(a, b)")]
    [Derivative("a", "g * LessOrEqual(a, b)")]
    public static Tensor Minimum(Tensor a, double b) => Binary(BinaryOp.Minimum, a, b);

    [Primitive(Broadcasts = true, Element = "a == b ? 1 : 0"), NonDifferentiable]
    public static Tensor Equal(Tensor a, Tensor b) => Binary(BinaryOp.Equal, a, b);

    [Primitive(Broadcasts = true, Element = "a != b ? 1 : 0"), NonDifferentiable]
    public static Tensor NotEqual(Tensor a, Tensor b) => Binary(BinaryOp.NotEqual, a, b);

    [Primitive(Broadcasts = true, Element = "a < b ? 1 : 0", Operator = "<"), NonDifferentiable]
    public static Tensor Less(Tensor a, Tensor b) => Binary(BinaryOp.Less, a, b);

    [Primitive(Broadcasts = true, Element = "a <= b ? 1 : 0", Operator = "<="), NonDifferentiable]
    public static Tensor LessOrEqual(Tensor a, Tensor b) => Binary(BinaryOp.LessOrEqual, a, b);

    [Primitive(Broadcasts = true, Element = "a > b ? 1 : 0", Operator = ">"), NonDifferentiable]
    public static Tensor Greater(Tensor a, Tensor b) => Binary(BinaryOp.Greater, a, b);

    [Primitive(Broadcasts = true, Element = "a >= b ? 1 : 0", Operator = ">="), NonDifferentiable]
    public static Tensor GreaterOrEqual(Tensor a, Tensor b) => Binary(BinaryOp.GreaterOrEqual, a, b);

    [Primitive(Element = "a == b ? 1 : 0"), NonDifferentiable]
    public static Tensor Equal(Tensor a, double b) => Binary(BinaryOp.Equal, a, b);

    [Primitive(Element = "a != b ? 1 : 0"), NonDifferentiable]
    public static Tensor NotEqual(Tensor a, double b) => Binary(BinaryOp.NotEqual, a, b);

    [Primitive(Element = "a > b ? 1 : 0"), NonDifferentiable]
    public static Tensor Greater(Tensor a, double b) => Binary(BinaryOp.Greater, a, b);

    [Primitive(Element = "a >= b ? 1 : 0"), NonDifferentiable]
    public static Tensor GreaterOrEqual(Tensor a, double b) => Binary(BinaryOp.GreaterOrEqual, a, b);

    [Primitive(Element = "a < b ? 1 : 0"), NonDifferentiable]
    public static Tensor Less(Tensor a, double b) => Binary(BinaryOp.Less, a, b);

    [Primitive(Element = "a <= b ? 1 : 0"), NonDifferentiable]
    public static Tensor LessOrEqual(Tensor a, double b) => Binary(BinaryOp.LessOrEqual, a, b);

    [Primitive(Element = "-x", Operator = "-")]
    [Derivative("x", "-g")]
    public static Tensor Negate(Tensor x) => Unary(UnaryOp.Negate, x);

    [Primitive(Element = "exp(x)")]
    [Derivative("x", "g * result")]
    public static Tensor Exp(Tensor x) => Unary(UnaryOp.Exp, x);

    [Primitive(Element = "log(x)")]
    [Derivative("x", "g / x")]
    public static Tensor Log(Tensor x) => Unary(UnaryOp.Log, x);

    [Primitive(Element = "sqrt(x)")]
    [Derivative("x", "g * 0.5 / result")]
    public static Tensor Sqrt(Tensor x) => Unary(UnaryOp.Sqrt, x);

    [Primitive(Element = "abs(x)")]
    [Derivative("x", "g * (Greater(x, 0.0) - Less(x, 0.0))")]
    public static Tensor Abs(Tensor x) => Unary(UnaryOp.Abs, x);

    [Primitive(Element = "tanh(x)")]
    [Derivative("x", "g * (1.0 - result * result)")]
    public static Tensor Tanh(Tensor x) => Unary(UnaryOp.Tanh, x);

    [Primitive(Element = "1 / (1 + exp(-x))")]
    [Derivative("x", "g * result * (1.0 - result)")]
    public static Tensor Sigmoid(Tensor x) => Unary(UnaryOp.Sigmoid, x);

    [Primitive(Element = "max(x, 0)")]
    [Derivative("x", "g * Greater(x, 0.0)")]
    public static Tensor Relu(Tensor x) => Unary(UnaryOp.Relu, x);

    [Primitive(Element = "x * x")]
    [Derivative("x", "2.0 * g * x")]
    public static Tensor Square(Tensor x) => Unary(UnaryOp.Square, x);

    [Primitive(Element = "1 / x")]
    [Derivative("x", "-g * result * result")]
    public static Tensor Reciprocal(Tensor x) => Unary(UnaryOp.Reciprocal, x);

    /// <summary>Element-wise choice: <paramref name="whenTrue"/> where <paramref name="condition"/>
    /// is non-zero, else <paramref name="whenFalse"/>; the three broadcast together.</summary>
    [Primitive(Broadcasts = true, Element = "condition != 0 ? whenTrue : whenFalse")]
    [Derivative("whenTrue", "g * NotEqual(condition, 0.0)")]
    [Derivative("whenFalse", "g * Equal(condition, 0.0)")]
    public static Tensor Where([NonDifferentiable] Tensor condition, Tensor whenTrue, Tensor whenFalse)
    {
        OpChecks.Compatible("Where", whenTrue, whenFalse);
        OpChecks.Compatible("Where", condition, whenTrue);
        Broadcasting.Shape("Where", condition.Shape, whenTrue.Shape, whenFalse.Shape);
        return whenTrue.Backend.Where(condition, whenTrue, whenFalse);
    }

    public static Tensor Unary(UnaryOp op, Tensor x)
    {
        OpChecks.FloatingPoint(op.ToString(), x);
        return x.Backend.Unary(op, x);
    }

    public static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        var name = op.ToString();
        OpChecks.Compatible(name, a, b);
        Broadcasting.Shape(name, a.Shape, b.Shape);
        return a.Backend.Binary(op, a, b);
    }

    /// <summary>A binary operation with a scalar right operand of <paramref name="a"/>'s dtype.</summary>
    public static Tensor Binary(BinaryOp op, Tensor a, double b)
    {
        using var scalar = OpChecks.ScalarLike(a, b);
        return Binary(op, a, scalar);
    }

    /// <summary>A binary operation with a scalar left operand of <paramref name="b"/>'s dtype.</summary>
    public static Tensor Binary(BinaryOp op, double a, Tensor b)
    {
        using var scalar = OpChecks.ScalarLike(b, a);
        return Binary(op, scalar, b);
    }
}
