namespace Grad.Tests;

/// <summary>Reads tensors back as doubles and compares them, plus brute-force index helpers the
/// reference implementations use; tensors are made through <see cref="BackendFixture"/>.</summary>
internal static class TestTensors
{
    /// <summary>The float dtypes the backend under test computes in.</summary>
    public static TheoryData<DType> FloatTypes =>
        BackendFixture.RunsFloat64 ? new() { DType.Float32, DType.Float64 } : new() { DType.Float32 };

    public static double[] Values(Tensor t) => t.DType == DType.Float64
        ? t.ToArray<double>()
        : t.ToArray<float>().Select(v => (double)v).ToArray();

    /// <summary>Deterministic, varied values (not all equal, with both signs).</summary>
    public static double[] Ramp(int count, int seed = 1)
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, count).Select(_ => Math.Round(rng.NextDouble() * 8 - 4, 3)).ToArray();
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { Assert.True(double.IsNaN(a), $"index {i}: expected NaN, got {a}"); continue; }
            if (double.IsInfinity(e)) { Assert.Equal(e, a); continue; }
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"index {i}: expected {e}, got {a}");
        }
    }

    /// <summary>Row-major multi-index of a flat position.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            index[i] = flat % shape[i];
            flat /= shape[i];
        }
        return index;
    }

    /// <summary>Flat position in a tensor of <paramref name="shape"/> of a broadcast output index.</summary>
    public static int BroadcastFlat(int[] outIndex, int[] shape)
    {
        int flat = 0, lead = outIndex.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            flat = flat * shape[i] + (shape[i] == 1 ? 0 : outIndex[lead + i]);
        return flat;
    }
}
