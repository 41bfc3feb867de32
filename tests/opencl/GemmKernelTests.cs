using Grad.OpenCL;

namespace Grad.Tests.OpenCL;

/// <summary>Every GEMM kernel <c>grad tune</c> may choose computes every kind of product the backend
/// asks for: the GPU's tiled kernels run on PoCL too (slowly), so a GPU never runs a kernel that
/// only its speed was measured on. Each product is checked against a plain triple loop in double.</summary>
public class GemmKernelTests(BackendFixture device) : IClassFixture<BackendFixture>
{
    private OpenCLBackend Backend => (OpenCLBackend)device.Backend;

    public static TheoryData<string> Candidates()
    {
        var data = new TheoryData<string>();
        foreach (var candidate in GemmTuner.Candidates(((OpenCLBackend)new BackendFixture().Backend).Device)) data.Add(Describe(candidate));
        return data;
    }

    /// <summary>A candidate as a test case's name, parsed back by <see cref="Parse"/>.</summary>
    private static string Describe(GemmParameters p) =>
        $"{(p.Columns ? "columns" : "tiled")} {p.TileM}x{p.TileN}x{p.TileK} {p.WorkM}x{p.WorkN}";

    private static GemmParameters Parse(string described) =>
        GemmTuner.Candidates(((OpenCLBackend)new BackendFixture().Backend).Device).Single(p => Describe(p) == described);

    /// <summary>Sizes that are multiples of no tile, and ones a whole tile fits; every transposition,
    /// odd offsets (reads that are not four-aligned), a broadcast operand, summed and accumulated batches.</summary>
    [Theory]
    [MemberData(nameof(Candidates))]
    public void The_kernel_computes_every_kind_of_product(string candidate)
    {
        var before = Backend.Gemm;
        Backend.Gemm = Parse(candidate) with { DirectBelow = 0 };
        try
        {
            foreach (var (m, n, k) in new[] { (67, 45, 133), (128, 64, 32), (5, 130, 9) })
            {
                foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
                    Check(new Product(m, n, k, 1, transposeA, transposeB), DType.Float32);
            }
            Check(new Product(33, 70, 21, 3, false, true) { BroadcastA = true, Offset = 3 }, DType.Float32);
            Check(new Product(33, 70, 21, 3, true, false) { SumBatches = true, Accumulate = true, Offset = 1 }, DType.Float32);
            if (device.Backend is OpenCLBackend { Device.HasFloat64: true })
                Check(new Product(67, 45, 133, 2, true, true) { Accumulate = true, Offset = 1 }, DType.Float64);
        }
        finally
        {
            Backend.Gemm = before;
        }
    }

    private sealed record Product(int M, int N, int K, int Batches, bool TransposeA, bool TransposeB)
    {
        public bool BroadcastA { get; init; }
        public bool SumBatches { get; init; }
        public bool Accumulate { get; init; }
        public int Offset { get; init; }
        public int ABatch => BroadcastA ? 0 : M * K;
        public int Outputs => SumBatches ? 1 : Batches;
    }

    private void Check(Product p, DType dtype)
    {
        var random = new Random(p.M * 31 + p.N * 7 + p.K);
        double[] Fill(int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var a = Fill(p.Offset + (p.BroadcastA ? 1 : p.Batches) * p.M * p.K);
        var b = Fill(p.Offset + p.Batches * p.K * p.N);
        var c = Fill(p.Outputs * p.M * p.N);

        using var onA = Upload(a, dtype);
        using var onB = Upload(b, dtype);
        using var onC = Upload(c, dtype);
        Backend.Multiply(new GemmOperands(p.M, p.N, p.K, p.Batches)
        {
            A = onA, AOffset = p.Offset, ABatch = p.ABatch, TransposeA = p.TransposeA,
            B = onB, BOffset = p.Offset, BBatch = p.K * p.N, TransposeB = p.TransposeB,
            C = onC, CBatch = p.M * p.N, SumBatches = p.SumBatches, Accumulate = p.Accumulate,
        });
        var got = dtype == DType.Float32 ? onC.ToArray<float>().Select(v => (double)v).ToArray() : onC.ToArray<double>();

        var want = Expected(p, a, b, c);
        double tolerance = dtype == DType.Float32 ? 1e-4 : 1e-12;
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - want[i]) <= tolerance * (1 + Math.Abs(want[i])),
                $"{Describe(Backend.Gemm)}, {p} in {dtype}: element {i} is {got[i]}, want {want[i]}");
        }
    }

    private Tensor Upload(double[] values, DType dtype) => dtype == DType.Float32
        ? Tensor.FromSpan<float>(values.Select(v => (float)v).ToArray(), new Shape(values.Length), Backend)
        : Tensor.FromSpan<double>(values, new Shape(values.Length), Backend);

    private static double[] Expected(Product p, double[] a, double[] b, double[] c)
    {
        var want = p.Accumulate ? (double[])c.Clone() : new double[c.Length];
        for (int batch = 0; batch < p.Batches; batch++)
        {
            int aBase = p.Offset + batch * p.ABatch, bBase = p.Offset + batch * p.K * p.N;
            int cBase = p.SumBatches ? 0 : batch * p.M * p.N;
            for (int i = 0; i < p.M; i++)
            {
                for (int j = 0; j < p.N; j++)
                {
                    double sum = 0;
                    for (int l = 0; l < p.K; l++)
                    {
                        sum += a[aBase + (p.TransposeA ? l * p.M + i : i * p.K + l)]
                             * b[bBase + (p.TransposeB ? j * p.K + l : l * p.N + j)];
                    }
                    want[cBase + i * p.N + j] += sum;
                }
            }
        }
        return want;
    }
}
