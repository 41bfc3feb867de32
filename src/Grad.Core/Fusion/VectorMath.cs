using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Grad.Fusion;

/// <summary>The vector forms of the element language's functions that <see cref="Vector256"/>
/// offers only per type, and comparisons as 1/0 values, for generated kernels.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorMath
{
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Exp(x.As<T, float>()).As<float, T>()
        : typeof(T) == typeof(double) ? Vector256.Exp(x.As<T, double>()).As<double, T>()
        : throw new NotSupportedException(typeof(T).Name);

    public static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Log(x.As<T, float>()).As<float, T>()
        : typeof(T) == typeof(double) ? Vector256.Log(x.As<T, double>()).As<double, T>()
        : throw new NotSupportedException(typeof(T).Name);

    /// <summary>exp of one value by <see cref="Exp{T}(Vector256{T})"/>, so that an element outside a
    /// full vector (a row's tail, a strided row) gets the same bits as one inside it.</summary>
    public static T ScalarExp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Exp(Vector256.Create(x)).ToScalar();

    /// <summary>log of one value by <see cref="Log{T}(Vector256{T})"/>; see <see cref="ScalarExp{T}"/>.</summary>
    public static T ScalarLog<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Log(Vector256.Create(x)).ToScalar();

    /// <summary>max with NaN propagation, like <c>T.Max</c>, so both paths of a kernel agree.</summary>
    public static Vector256<T> Max<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(a, a) & Vector256.Equals(b, b), Vector256.Max(a, b), a + b);

    public static Vector256<T> Min<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(a, a) & Vector256.Equals(b, b), Vector256.Min(a, b), a + b);

    public static Vector256<T> Greater<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.GreaterThan(a, b) & Vector256<T>.One;

    public static Vector256<T> GreaterOrEqual<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.GreaterThanOrEqual(a, b) & Vector256<T>.One;

    public static Vector256<T> Less<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.LessThan(a, b) & Vector256<T>.One;

    public static Vector256<T> LessOrEqual<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.LessThanOrEqual(a, b) & Vector256<T>.One;

    public static Vector256<T> Equal<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.Equals(a, b) & Vector256<T>.One;

    public static Vector256<T> NotEqual<T>(Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        ~Vector256.Equals(a, b) & Vector256<T>.One;

    /// <summary>a where the condition is non-zero, else b.</summary>
    public static Vector256<T> Select<T>(Vector256<T> condition, Vector256<T> a, Vector256<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.Equals(condition, Vector256<T>.Zero), b, a);
}
