using System.Numerics;
using Grad.Cpu;

namespace Grad.Tests.Unit.Cpu;

/// <summary>
/// The packed GEMM against a naive triple loop accumulated in double: odd and non-square sizes,
/// every transpose combination, accumulate and overwrite, padded row strides, every micro-kernel
/// this CPU runs, one and two threads, float and double.
/// </summary>
[Collection(nameof(CpuThreadsCollection))]
public class GemmTests
{
    public static TheoryData<int, int, int> SmallShapes => new()
    {
        { 1, 1, 1 }, { 7, 7, 7 }, { 33, 33, 33 }, { 1, 257, 7 }, { 33, 1, 257 }, { 257, 33, 7 }, { 7, 33, 1 },
    };

    /// <summary>Shapes that cross every block boundary (KC, MC, NC for float and double) and are
    /// large enough to be split over two threads, along rows or along columns.</summary>
    public static TheoryData<int, int, int> BlockedShapes => new()
    {
        { 257, 257, 257 }, { 1537, 5, 300 }, { 9, 481, 600 }, { 13, 35, 385 },
    };

    [Theory]
    [MemberData(nameof(SmallShapes))]
    public void SmallShapesMatchNaive(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    int pad = accumulate ? 3 : 0;
                    Check<float>(m, n, k, ta, tb, accumulate, pad, Gemm.BestKernel, threads: 1);
                    Check<double>(m, n, k, ta, tb, accumulate, pad, Gemm.BestKernel, threads: 1);
                }
    }

    [Theory]
    [MemberData(nameof(BlockedShapes))]
    public void BlockedShapesMatchNaiveOnOneAndTwoThreads(int m, int n, int k)
    {
        foreach (int threads in new[] { 1, 2 })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    // Each transpose combination runs once per type over the two thread counts.
                    bool accumulate = ta != tb;
                    if (accumulate == (threads == 1)) Check<float>(m, n, k, ta, tb, accumulate, pad: 5, Gemm.BestKernel, threads);
                    else Check<double>(m, n, k, ta, tb, accumulate, pad: 0, Gemm.BestKernel, threads);
                }
    }

    [Theory]
    [InlineData("Portable")]
    [InlineData("Avx2")]
    [InlineData("Avx512")]
    public void EveryKernelMatchesNaive(string name)
    {
        var kernel = Enum.Parse<GemmKernel>(name);
        // A kernel this CPU cannot run is covered on the machines that can.
        if (!Gemm.IsSupported(kernel)) return;
        // Widths with a last panel of under half a tile (the half-width kernel), exactly half, and over half.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 3, 2), (13, 35, 9), (33, 1, 257), (50, 70, 400), (7, 48, 5), (14, 57, 6) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    Check<float>(m, n, k, ta, tb, accumulate: tb, pad: 2, kernel, threads: 1);
                    Check<double>(m, n, k, ta, tb, accumulate: ta, pad: 1, kernel, threads: 1);
                }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyInnerDimensionZeroesOrKeepsC(bool accumulate)
    {
        const int m = 3, n = 4, ldc = 6;
        var c = Enumerable.Range(1, (m - 1) * ldc + n).Select(i => (float)i).ToArray();
        var before = (float[])c.Clone();
        Gemm.Multiply<float>(m, n, 0, [], 1, false, [], n, false, c, ldc, accumulate);
        for (int i = 0; i < c.Length; i++)
        {
            bool inC = i % ldc < n;
            Assert.Equal(inC && !accumulate ? 0f : before[i], c[i]);
        }
    }

    [Fact]
    public void ShortOperandIsRejected()
    {
        var a = new float[5];
        var b = new float[6];
        var c = new float[4];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(2, 2, 3, a, 3, false, b, 2, false, c, 2, false));
        Assert.Contains("A (2×3, row stride 3) needs 6 elements, got 5", e.Message);
    }

    [Fact]
    public void MatMulReadsTransposedViewInPlace()
    {
        var random = new Random(7);
        var xData = RandomArray<float>(random, 5 * 7);
        var wData = RandomArray<float>(random, 3 * 7);
        using var x = Tensor.FromArray(xData, 5, 7);
        using var w = Tensor.FromArray(wData, 3, 7);
        using var wt = w.T;
        using var y = Ops.MatMul(x, wt);
        Assert.Equal([5, 3], y.Shape.Dims.ToArray());
        var got = y.ToArray<float>();
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3; j++)
            {
                double expected = 0;
                for (int p = 0; p < 7; p++) expected += (double)xData[i * 7 + p] * wData[j * 7 + p];
                Assert.True(Math.Abs(got[i * 3 + j] - expected) <= 1e-5, $"y[{i},{j}] = {got[i * 3 + j]}, expected {expected}");
            }
    }

    /// <summary>
    /// Runs one product with row strides padded by <paramref name="pad"/> (so every operand is a
    /// submatrix) and compares every element of C with the double-precision naive product; the
    /// padding between rows of C must be left untouched.
    /// </summary>
    private static void Check<T>(int m, int n, int k, bool ta, bool tb, bool accumulate, int pad, GemmKernel kernel, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(HashCode.Combine(m, n, k, ta, tb, accumulate));
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = RandomArray<T>(random, Math.Max(0, aRows * lda - pad));
        var b = RandomArray<T>(random, Math.Max(0, bRows * ldb - pad));
        var c = RandomArray<T>(random, Math.Max(0, m * ldc - pad));
        var before = (T[])c.Clone();

        int saved = CpuBackend.Threads;
        try
        {
            CpuBackend.Threads = threads;
            Gemm.Multiply<T>(m, n, k, a, lda, ta, b, ldb, tb, c, ldc, accumulate, kernel);
        }
        finally
        {
            CpuBackend.Threads = saved;
        }

        // Worst-case rounding of a length-k sum grows with k; scale by the sum of magnitudes.
        double tolerance = typeof(T) == typeof(float) ? 1e-4 : 1e-12;
        string where = $"{typeof(T).Name} m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} pad={pad} {kernel} threads={threads}";
        var aD = ToDouble(a);
        var bD = ToDouble(b);
        var row = new double[k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++) row[p] = ta ? aD[p * lda + i] : aD[i * lda + p];
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? double.CreateChecked(before[i * ldc + j]) : 0, magnitude = Math.Abs(sum);
                int bj = tb ? j * ldb : j, bStep = tb ? 1 : ldb;
                for (int p = 0; p < k; p++)
                {
                    double product = row[p] * bD[bj + p * bStep];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double got = double.CreateChecked(c[i * ldc + j]);
                if (Math.Abs(got - sum) > tolerance * Math.Max(magnitude, 1))
                    Assert.Fail($"{where}: C[{i},{j}] = {got}, expected {sum}");
            }
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                if (c[i * ldc + j] != before[i * ldc + j]) Assert.Fail($"{where}: padding C[{i},{j}] was written");
        }
    }

    private static double[] ToDouble<T>(T[] values) where T : IFloatingPointIeee754<T> =>
        Array.ConvertAll(values, double.CreateChecked);

    private static T[] RandomArray<T>(Random random, int length) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() * 2 - 1)).ToArray();
}
