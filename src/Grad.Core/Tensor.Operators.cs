using Grad.Backends;

namespace Grad;

/// <summary>Arithmetic and comparison operators, with NumPy broadcasting. A <c>double</c> operand
/// becomes a scalar of the tensor's dtype. Comparisons give 1/0 masks; equality is
/// <see cref="Ops.Equal(Tensor, Tensor)"/>, since <c>==</c> keeps its reference meaning.</summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Subtract(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Multiply(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Divide(a, b);
    public static Tensor operator -(Tensor x) => Ops.Negate(x);

    public static Tensor operator +(Tensor a, double b) => Ops.Binary(BinaryOp.Add, a, b);
    public static Tensor operator -(Tensor a, double b) => Ops.Binary(BinaryOp.Subtract, a, b);
    public static Tensor operator *(Tensor a, double b) => Ops.Binary(BinaryOp.Multiply, a, b);
    public static Tensor operator /(Tensor a, double b) => Ops.Binary(BinaryOp.Divide, a, b);
    public static Tensor operator +(double a, Tensor b) => Ops.Binary(BinaryOp.Add, a, b);
    public static Tensor operator -(double a, Tensor b) => Ops.Binary(BinaryOp.Subtract, a, b);
    public static Tensor operator *(double a, Tensor b) => Ops.Binary(BinaryOp.Multiply, a, b);
    public static Tensor operator /(double a, Tensor b) => Ops.Binary(BinaryOp.Divide, a, b);

    public static Tensor operator >(Tensor a, Tensor b) => Ops.Greater(a, b);
    public static Tensor operator <(Tensor a, Tensor b) => Ops.Less(a, b);
    public static Tensor operator >=(Tensor a, Tensor b) => Ops.GreaterOrEqual(a, b);
    public static Tensor operator <=(Tensor a, Tensor b) => Ops.LessOrEqual(a, b);
    public static Tensor operator >(Tensor a, double b) => Ops.Binary(BinaryOp.Greater, a, b);
    public static Tensor operator <(Tensor a, double b) => Ops.Binary(BinaryOp.Less, a, b);
    public static Tensor operator >=(Tensor a, double b) => Ops.Binary(BinaryOp.GreaterOrEqual, a, b);
    public static Tensor operator <=(Tensor a, double b) => Ops.Binary(BinaryOp.LessOrEqual, a, b);
}
