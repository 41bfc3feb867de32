using System.Numerics;
using Grad.Tests.Unit.OpenCL;

namespace Grad.Tests.Unit.Primitives;

/// <summary>
/// Every element-wise primitive gives the same answer on every target for NaN, ±∞, ±0 and a few
/// ordinary values: the CPU's element-by-element loop (a strided view), its Vector256 loop (a
/// broadcast value), its whole-row path (dense rows, where TensorPrimitives may run), and the
/// kernel's OpenCL C on the OpenCL driver. Special results must agree bit for bit in class and
/// sign (NaN, ±∞, ±0); ordinary results to a few units in the last place, since exp, tanh and erf
/// are approximations that differ between libraries.
/// </summary>
public class SpecialValueTests(SpecialValueTests.OpenCL openCL) : IClassFixture<SpecialValueTests.OpenCL>
{
    /// <summary>One OpenCL runner for the class, its kernels built once per dtype.</summary>
    public sealed class OpenCL : IDisposable
    {
        internal OpenCLKernelRunner Runner { get; } =
            OpenCLKernelRunner.TryCreate(PrimitiveReflection.Elementwise.Select(PrimitiveReflection.Kernel).ToList(), out var reason)
            ?? throw new InvalidOperationException("no OpenCL driver: " + reason);

        public void Dispose() => Runner.Dispose();
    }

    private static readonly double[] Specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1, -1, 0.5, 2, -2.5, 3.75, 1e-3];

    public static TheoryData<string> Primitives()
    {
        var data = new TheoryData<string>();
        foreach (var m in PrimitiveReflection.Elementwise) data.Add(PrimitiveReflection.Signature(m));
        return data;
    }

    [OpenCLTheory]
    [MemberData(nameof(Primitives))]
    public void Every_target_agrees_on_special_values(string primitive)
    {
        var runner = openCL.Runner;
        Check<float>(primitive, runner, 2e-6);
        if (runner.HasFloat64) Check<double>(primitive, runner, 1e-14);
    }

    private static void Check<T>(string primitive, OpenCLKernelRunner runner, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var method = PrimitiveReflection.Find(primitive);
        var kernel = PrimitiveReflection.Kernel(method);
        var dtype = typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;
        var columns = Combinations(PrimitiveReflection.TensorCount(method));
        int n = columns[0].Length;
        var mismatches = new List<string>();
        foreach (var scalars in Combinations(PrimitiveReflection.ScalarCount(method)) is { Length: > 0 } s ? Rows(s) : [[]])
        {
            var dense = Dense(method, columns, scalars, dtype);
            var strided = Strided(method, columns, scalars, dtype);
            var openCL = runner.Run(kernel, columns.Select(c => c.Select(T.CreateChecked).ToArray()).ToArray(), scalars)[0]
                .Select(double.CreateChecked).ToArray();
            for (int i = 0; i < n; i++)
            {
                var vector = Broadcast(method, columns.Select(c => c[i]).ToArray(), scalars, dtype);
                foreach (var (path, value) in new[] { ("whole-row", dense[i]), ("vector", vector), ("OpenCL", openCL[i]) })
                {
                    if (!Agree(strided[i], value, tolerance))
                        mismatches.Add($"{typeof(T).Name} {primitive} at ({string.Join(", ", columns.Select(c => c[i]).Concat(scalars))}): " +
                                       $"element loop {strided[i]:R}, {path} {value:R}");
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(20)));
    }

    /// <summary>Every combination of special values for k operands, as k columns.</summary>
    private static double[][] Combinations(int k)
    {
        if (k == 0) return [];
        int n = (int)Math.Pow(Specials.Length, k);
        var columns = new double[k][];
        for (int j = 0; j < k; j++)
        {
            columns[j] = new double[n];
            int stride = (int)Math.Pow(Specials.Length, j);
            for (int i = 0; i < n; i++) columns[j][i] = Specials[i / stride % Specials.Length];
        }
        return columns;
    }

    private static IEnumerable<double[]> Rows(double[][] columns) =>
        Enumerable.Range(0, columns[0].Length).Select(i => columns.Select(c => c[i]).ToArray());

    private static double[] Dense(System.Reflection.MethodInfo m, double[][] columns, double[] scalars, DType dtype) =>
        Evaluate(m, columns.Select(c => Make(dtype, c, c.Length)), scalars);

    /// <summary>Each operand a column of an (n, 2) tensor: rows of one element, so the CPU takes
    /// its element-by-element loop.</summary>
    private static double[] Strided(System.Reflection.MethodInfo m, double[][] columns, double[] scalars, DType dtype) =>
        Evaluate(m, columns.Select(c =>
        {
            using var wide = Make(dtype, c.SelectMany(v => new[] { v, 7.0 }).ToArray(), c.Length, 2);
            return wide.Slice(1, 0, 1);
        }), scalars);

    /// <summary>Each operand one value broadcast along a row of 16: the CPU's vector loop, where
    /// the kernel has one. Every element of the row must be the same.</summary>
    private static double Broadcast(System.Reflection.MethodInfo m, double[] operands, double[] scalars, DType dtype)
    {
        var row = Evaluate(m, operands.Select(v =>
        {
            using var one = Tensor.Scalar(v, dtype);
            return Ops.Broadcast(one, new Shape(16));
        }), scalars);
        Assert.All(row, v => Assert.Equal(BitConverter.DoubleToInt64Bits(row[0]), BitConverter.DoubleToInt64Bits(v)));
        return row[0];
    }

    /// <summary>The primitive on the given operands, as float64 values; the operands are disposed.</summary>
    private static double[] Evaluate(System.Reflection.MethodInfo m, IEnumerable<Tensor> operands, double[] scalars)
    {
        var tensors = operands.ToList();
        try
        {
            using var y = PrimitiveReflection.Invoke(m, tensors, scalars);
            using var values = y.To(DType.Float64);
            return values.ToArray<double>();
        }
        finally
        {
            tensors.ForEach(t => t.Dispose());
        }
    }

    /// <summary>A CPU tensor of the given dtype (the paths under test are the CPU's).</summary>
    private static Tensor Make(DType dtype, double[] values, params int[] shape)
    {
        using var wide = Tensor.FromArray(values, shape);
        return wide.To(dtype);
    }

    private static bool Agree(double expected, double actual, double tolerance)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual)) return double.IsNaN(expected) && double.IsNaN(actual);
        if (double.IsInfinity(expected) || double.IsInfinity(actual) || expected == 0 || actual == 0)
            return expected.Equals(actual) && double.IsNegative(expected) == double.IsNegative(actual);
        return Math.Abs(expected - actual) <= tolerance * Math.Abs(expected);
    }
}
