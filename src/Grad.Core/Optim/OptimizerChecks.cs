namespace Grad.Optim;

/// <summary>Argument checks the optimisers share, so that a bad hyper-parameter or a gradient
/// that does not match its parameter fails with a message naming it.</summary>
internal static class OptimizerChecks
{
    public static void NonNegative(string optimizer, string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must be finite and at least 0, got {value}.");
    }

    public static void Fraction(string optimizer, string name, double value)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must lie in [0, 1), got {value}.");
    }

    public static void Positive(string optimizer, string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{optimizer}: {name} must be finite and above 0, got {value}.");
    }

    /// <summary>The gradient must match its parameter exactly: the fused kernels broadcast, and a
    /// broadcastable but different shape would otherwise update silently with the wrong values.</summary>
    public static void Gradient(string optimizer, string name, Tensor parameter, Tensor gradient)
    {
        if (gradient.Shape != parameter.Shape || gradient.DType != parameter.DType)
            throw new ArgumentException(
                $"{optimizer}: the gradient of '{name}' is {gradient.DType.Name()} {gradient.Shape} but the parameter is {parameter.DType.Name()} {parameter.Shape}.");
        if (!parameter.DType.IsFloatingPoint())
            throw new ArgumentException($"{optimizer}: parameter '{name}' is {parameter.DType.Name()}; only float32 and float64 parameters can be trained.");
    }
}
