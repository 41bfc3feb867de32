namespace Grad;

public static partial class Ops
{
    /// <summary>exp(x − max) / Σ exp(x − max) along <paramref name="axis"/>; never overflows.</summary>
    [Primitive(Shape = "x")]
    [Derivative("x", "result * (g - Sum(g * result, axis, keepDims: true))")]
    public static Tensor Softmax(Tensor x, int axis = -1) => SoftmaxCore("Softmax", x, axis, log: false);

    /// <summary>x − max − log Σ exp(x − max) along <paramref name="axis"/>.</summary>
    [Primitive(Shape = "x")]
    [Derivative("x", "g - Exp(result) * Sum(g, axis, keepDims: true)")]
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => SoftmaxCore("LogSoftmax", x, axis, log: true);

    private static Tensor SoftmaxCore(string op, Tensor x, int axis, bool log)
    {
        OpChecks.FloatingPoint(op, x);
        int a = x.Shape.NormalizeAxis(axis, op);
        return x.Backend.Softmax(x, a, log);
    }
}
