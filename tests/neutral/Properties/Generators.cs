using CsCheck;

namespace Grad.Tests.Property;

/// <summary>CsCheck generators for shapes and float64 tensors. Shrinking works on the shape
/// and the values, so a failure is reported on a minimal case.</summary>
internal static class Generators
{
    public static readonly Gen<int[]> Shape =
        from rank in Gen.Int[1, 4]
        from dims in Gen.Int[1, 5].Array[rank]
        select dims;

    /// <summary>Two shapes that broadcast together: a common shape with some axes set to 1 or
    /// dropped from the front of each operand.</summary>
    public static readonly Gen<(int[] A, int[] B)> BroadcastPair =
        from full in Shape
        from dropA in Gen.Int[0, full.Length - 1]
        from dropB in Gen.Int[0, full.Length - 1]
        from onesA in Gen.Bool.Array[full.Length]
        from onesB in Gen.Bool.Array[full.Length]
        select (Derive(full, dropA, onesA), Derive(full, dropB, onesB));

    public static Gen<double[]> Values(int count, double range = 3) => Gen.Double[-range, range].Array[count];

    /// <summary>A float64 tensor of a generated shape with generated values.</summary>
    public static readonly Gen<(int[] Shape, double[] Values)> Tensor =
        from shape in Shape
        from values in Values(Count(shape))
        select (shape, values);

    public static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    private static int[] Derive(int[] full, int drop, bool[] ones) =>
        full.Skip(drop).Select((d, i) => ones[i + drop] ? 1 : d).ToArray();
}
