namespace Grad.Tests.Property;

internal static class Approx
{
    public static void Equal(double[] expected, double[] actual, double tolerance, string what)
    {
        if (expected.Length != actual.Length)
            throw new Xunit.Sdk.XunitException($"{what}: {expected.Length} elements expected, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance * scale))
                throw new Xunit.Sdk.XunitException($"{what}: index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
