using Grad.Backends;

namespace Grad;

/// <summary>
/// The primitive operations of Grad. Layers call them (usually through <c>using static Grad.Ops;</c>);
/// each checks its arguments, then dispatches to the tensor's backend.
/// </summary>
public static partial class Ops
{
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);
    public static Tensor Subtract(Tensor a, Tensor b) => Binary(BinaryOp.Subtract, a, b);
    public static Tensor Multiply(Tensor a, Tensor b) => Binary(BinaryOp.Multiply, a, b);
    public static Tensor Divide(Tensor a, Tensor b) => Binary(BinaryOp.Divide, a, b);
    public static Tensor Pow(Tensor a, Tensor b) => Binary(BinaryOp.Power, a, b);
    public static Tensor Pow(Tensor a, double exponent) => Binary(BinaryOp.Power, a, exponent);
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b);
    public static Tensor Maximum(Tensor a, double b) => Binary(BinaryOp.Maximum, a, b);
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b);
    public static Tensor Minimum(Tensor a, double b) => Binary(BinaryOp.Minimum, a, b);

    public static Tensor Equal(Tensor a, Tensor b) => Binary(BinaryOp.Equal, a, b);
    public static Tensor NotEqual(Tensor a, Tensor b) => Binary(BinaryOp.NotEqual, a, b);
    public static Tensor Less(Tensor a, Tensor b) => Binary(BinaryOp.Less, a, b);
    public static Tensor LessOrEqual(Tensor a, Tensor b) => Binary(BinaryOp.LessOrEqual, a, b);
    public static Tensor Greater(Tensor a, Tensor b) => Binary(BinaryOp.Greater, a, b);
    public static Tensor GreaterOrEqual(Tensor a, Tensor b) => Binary(BinaryOp.GreaterOrEqual, a, b);

    public static Tensor Negate(Tensor x) => Unary(UnaryOp.Negate, x);
    public static Tensor Exp(Tensor x) => Unary(UnaryOp.Exp, x);
    public static Tensor Log(Tensor x) => Unary(UnaryOp.Log, x);
    public static Tensor Sqrt(Tensor x) => Unary(UnaryOp.Sqrt, x);
    public static Tensor Abs(Tensor x) => Unary(UnaryOp.Abs, x);
    public static Tensor Tanh(Tensor x) => Unary(UnaryOp.Tanh, x);
    public static Tensor Sigmoid(Tensor x) => Unary(UnaryOp.Sigmoid, x);
    public static Tensor Relu(Tensor x) => Unary(UnaryOp.Relu, x);
    public static Tensor Square(Tensor x) => Unary(UnaryOp.Square, x);
    public static Tensor Reciprocal(Tensor x) => Unary(UnaryOp.Reciprocal, x);

    /// <summary>Element-wise choice: <paramref name="whenTrue"/> where <paramref name="condition"/>
    /// is non-zero, else <paramref name="whenFalse"/>; the three broadcast together.</summary>
    public static Tensor Where(Tensor condition, Tensor whenTrue, Tensor whenFalse)
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
