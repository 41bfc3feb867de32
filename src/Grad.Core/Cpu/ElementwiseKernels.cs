using System.Numerics;
using System.Numerics.Tensors;
using Grad.Backends;

namespace Grad.Cpu;

/// <summary>Element-wise CPU kernels over broadcast, strided operands. Rows whose operands are
/// dense or scalar go to <see cref="TensorPrimitives"/> (SIMD); anything else takes a scalar loop.</summary>
internal static class ElementwiseKernels
{
    public static void Unary<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Negate: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            default: throw new NotSupportedException($"Unary operation {op}.");
        }
    }

    /// <summary>One row: <c>y[i] = a[i·strideA] op b[i·strideB]</c> for i &lt; y.Length.</summary>
    public static void BinaryRow<T>(BinaryOp op, ReadOnlySpan<T> a, int strideA, ReadOnlySpan<T> b, int strideB, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length;
        if (!op.IsComparison())
        {
            if (strideA == 1 && strideB == 1) { Dense(op, a[..n], b[..n], y); return; }
            if (strideA == 1 && strideB == 0) { DenseScalar(op, a[..n], b[0], y); return; }
            if (strideA == 0 && strideB == 1) { ScalarDense(op, a[0], b[..n], y); return; }
        }
        for (int i = 0; i < n; i++) y[i] = Apply(op, a[i * strideA], b[i * strideB]);
    }

    public static T Apply<T>(BinaryOp op, T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        BinaryOp.Power => T.Pow(a, b),
        BinaryOp.Maximum => T.Max(a, b),
        BinaryOp.Minimum => T.Min(a, b),
        BinaryOp.Equal => Mask<T>(a == b),
        BinaryOp.NotEqual => Mask<T>(a != b),
        BinaryOp.Less => Mask<T>(a < b),
        BinaryOp.LessOrEqual => Mask<T>(a <= b),
        BinaryOp.Greater => Mask<T>(a > b),
        BinaryOp.GreaterOrEqual => Mask<T>(a >= b),
        _ => throw new NotSupportedException($"Binary operation {op}."),
    };

    private static T Mask<T>(bool value) where T : IFloatingPointIeee754<T> => value ? T.One : T.Zero;

    private static void Dense<T>(BinaryOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Power: TensorPrimitives.Pow(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new NotSupportedException($"Binary operation {op}.");
        }
    }

    private static void DenseScalar<T>(BinaryOp op, ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Power: TensorPrimitives.Pow(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new NotSupportedException($"Binary operation {op}.");
        }
    }

    private static void ScalarDense<T>(BinaryOp op, T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryOp.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Multiply: TensorPrimitives.Multiply(b, a, y); break;
            case BinaryOp.Divide: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Power: TensorPrimitives.Pow(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(b, a, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(b, a, y); break;
            default: throw new NotSupportedException($"Binary operation {op}.");
        }
    }

    /// <summary>One row of <c>Where</c>: pick a or b by whether the condition is non-zero.</summary>
    public static void WhereRow<T>(ReadOnlySpan<T> c, int strideC, ReadOnlySpan<T> a, int strideA, ReadOnlySpan<T> b, int strideB, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < y.Length; i++)
            y[i] = c[i * strideC] != T.Zero ? a[i * strideA] : b[i * strideB];
    }

    /// <summary>One row of a strided copy.</summary>
    public static void CopyRow<T>(ReadOnlySpan<T> x, int stride, Span<T> y) where T : unmanaged
    {
        if (stride == 1) { x[..y.Length].CopyTo(y); return; }
        if (stride == 0) { y.Fill(x[0]); return; }
        for (int i = 0; i < y.Length; i++) y[i] = x[i * stride];
    }
}
