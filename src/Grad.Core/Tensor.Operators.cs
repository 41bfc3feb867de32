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

    public static Tensor operator +(Tensor a, double b) => WithScalar(Ops.Add, a, b);
    public static Tensor operator -(Tensor a, double b) => WithScalar(Ops.Subtract, a, b);
    public static Tensor operator *(Tensor a, double b) => WithScalar(Ops.Multiply, a, b);
    public static Tensor operator /(Tensor a, double b) => WithScalar(Ops.Divide, a, b);
    public static Tensor operator +(double a, Tensor b) => WithScalar(Ops.Add, a, b);
    public static Tensor operator -(double a, Tensor b) => WithScalar(Ops.Subtract, a, b);
    public static Tensor operator *(double a, Tensor b) => WithScalar(Ops.Multiply, a, b);
    public static Tensor operator /(double a, Tensor b) => WithScalar(Ops.Divide, a, b);

    public static Tensor operator >(Tensor a, Tensor b) => Ops.Greater(a, b);
    public static Tensor operator <(Tensor a, Tensor b) => Ops.Less(a, b);
    public static Tensor operator >=(Tensor a, Tensor b) => Ops.GreaterOrEqual(a, b);
    public static Tensor operator <=(Tensor a, Tensor b) => Ops.LessOrEqual(a, b);
    public static Tensor operator >(Tensor a, double b) => Ops.Greater(a, b);
    public static Tensor operator <(Tensor a, double b) => Ops.Less(a, b);
    public static Tensor operator >=(Tensor a, double b) => Ops.GreaterOrEqual(a, b);
    public static Tensor operator <=(Tensor a, double b) => Ops.LessOrEqual(a, b);

    /// <summary>Applies a binary primitive with one operand a scalar tensor of the other's dtype and device.</summary>
    private static Tensor WithScalar(Func<Tensor, Tensor, Tensor> op, Tensor a, double b)
    {
        using var scalar = OpChecks.ScalarLike(a, b);
        return op(a, scalar);
    }

    private static Tensor WithScalar(Func<Tensor, Tensor, Tensor> op, double a, Tensor b)
    {
        using var scalar = OpChecks.ScalarLike(b, a);
        return op(scalar, b);
    }
}
