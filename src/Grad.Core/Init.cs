using Grad.Backends;

namespace Grad;

/// <summary>
/// Seeded random tensors and the standard weight initialisations. Values are drawn on the host
/// in row-major order from an <see cref="Rng"/> seeded with <c>seed</c>, so a seed gives the same
/// tensor on every backend and dtype (up to rounding).
/// </summary>
public static class Init
{
    /// <summary>Normal with the given mean and standard deviation.</summary>
    public static Tensor Normal(Shape shape, double mean = 0, double std = 1, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null)
    {
        if (!(std >= 0)) throw new ArgumentOutOfRangeException(nameof(std), $"Normal: std must be non-negative, got {std}.");
        var rng = new Rng(seed);
        return Draw(shape, () => mean + std * rng.NextNormal(), dtype, backend);
    }

    /// <summary>Uniform on [low, high).</summary>
    public static Tensor Uniform(Shape shape, double low = 0, double high = 1, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null)
    {
        if (!(high >= low)) throw new ArgumentOutOfRangeException(nameof(high), $"Uniform: needs low ≤ high, got [{low}, {high}).");
        var rng = new Rng(seed);
        return Draw(shape, () => low + (high - low) * rng.NextDouble(), dtype, backend);
    }

    /// <summary>He/Kaiming normal for ReLU networks: std = √(2 / fanIn).</summary>
    public static Tensor KaimingNormal(Shape shape, int fanIn, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null) =>
        Normal(shape, 0, Math.Sqrt(2.0 / PositiveFan(fanIn, "KaimingNormal")), seed, dtype, backend);

    /// <summary>He/Kaiming uniform: bound = √(6 / fanIn).</summary>
    public static Tensor KaimingUniform(Shape shape, int fanIn, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null)
    {
        double bound = Math.Sqrt(6.0 / PositiveFan(fanIn, "KaimingUniform"));
        return Uniform(shape, -bound, bound, seed, dtype, backend);
    }

    /// <summary>Glorot/Xavier uniform: bound = √(6 / (fanIn + fanOut)).</summary>
    public static Tensor XavierUniform(Shape shape, int fanIn, int fanOut, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null)
    {
        double bound = Math.Sqrt(6.0 / PositiveFan(fanIn + fanOut, "XavierUniform"));
        return Uniform(shape, -bound, bound, seed, dtype, backend);
    }

    /// <summary>Glorot/Xavier normal: std = √(2 / (fanIn + fanOut)).</summary>
    public static Tensor XavierNormal(Shape shape, int fanIn, int fanOut, ulong seed = 0, DType dtype = DType.Float32, IBackend? backend = null) =>
        Normal(shape, 0, Math.Sqrt(2.0 / PositiveFan(fanIn + fanOut, "XavierNormal")), seed, dtype, backend);

    private static int PositiveFan(int fan, string op) =>
        fan > 0 ? fan : throw new ArgumentOutOfRangeException(nameof(fan), $"{op}: the fan must be positive, got {fan}.");

    private static Tensor Draw(Shape shape, Func<double> next, DType dtype, IBackend? backend)
    {
        switch (dtype)
        {
            case DType.Float32:
                var floats = new float[shape.ElementCount];
                for (int i = 0; i < floats.Length; i++) floats[i] = (float)next();
                return Tensor.FromSpan<float>(floats, shape, backend);
            case DType.Float64:
                var doubles = new double[shape.ElementCount];
                for (int i = 0; i < doubles.Length; i++) doubles[i] = next();
                return Tensor.FromSpan<double>(doubles, shape, backend);
            default:
                throw new ArgumentException($"Init: random tensors are float32 or float64, not {dtype.Name()}.");
        }
    }
}
