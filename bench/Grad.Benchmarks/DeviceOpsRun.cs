using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Grad.OpenCL;

namespace Grad.Benchmarks;

/// <summary>
/// <c>device-ops [--json] [--device opencl[:N]] [--gemm 4096] [--elements 67108864]</c>: a device's raw
/// speed through Grad's ops, each synchronised and timed as a median after a warm-up: float32
/// SGEMM n³ (GFLOP/s), an element-wise add of two float32 vectors (GB/s moved: two reads and a
/// write per element), and a sum of one (GB/s read). The figures the OpenCL issue's GPU targets name.
/// </summary>
internal static class DeviceOpsRun
{
    public static int Run(string[] args)
    {
        string spec = "opencl";
        bool json = false;
        int gemm = 4096, elements = 1 << 26;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--device" when i + 1 < args.Length: spec = args[++i]; break;
                case "--gemm" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0: gemm = n; i++; break;
                case "--elements" when i + 1 < args.Length && int.TryParse(args[i + 1], out int e) && e > 0: elements = e; i++; break;
                default:
                    Console.Error.WriteLine($"device-ops: unknown or incomplete option '{args[i]}'.");
                    Console.Error.WriteLine("usage: Grad.Benchmarks device-ops [--json] [--device opencl[:N]] [--gemm 4096] [--elements 67108864]");
                    return 2;
            }
        }
        var backend = OpenCLBackend.Open(spec);
        string gemmKernel = $"{(backend.Gemm.Columns ? "columns" : "tiled")} {backend.Gemm.Options}";
        if (json)
            Console.WriteLine(new JsonObject { ["device"] = backend.Name, ["driver"] = backend.Device.DriverVersion, ["gemm_kernel"] = gemmKernel }.ToJsonString());
        else
            Console.WriteLine($"{backend.Name}, driver {backend.Device.DriverVersion}; GEMM {gemmKernel}");
        void Report(string op, string what, double rate, string unit, double seconds)
        {
            if (json)
                Console.WriteLine(new JsonObject { ["op"] = op, ["what"] = what, ["rate"] = rate, ["unit"] = unit, ["ms"] = seconds * 1e3 }.ToJsonString());
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-32} {rate,10:F1} {unit,-8} ({seconds * 1e3:F3} ms)"));
        }


        using (var a = Init.Normal([gemm, gemm], seed: 1, backend: backend))
        using (var b = Init.Normal([gemm, gemm], seed: 2, backend: backend))
        {
            double seconds = Median(backend, () => Ops.MatMul(a, b));
            Report("sgemm", $"SGEMM {gemm}³", 2.0 * gemm * gemm * gemm / seconds / 1e9, "GFLOP/s", seconds);
        }
        using (var x = Init.Normal([elements], seed: 3, backend: backend))
        using (var y = Init.Normal([elements], seed: 4, backend: backend))
        {
            double add = Median(backend, () => x + y);
            Report("add", $"add of {elements:N0} floats", 3.0 * elements * sizeof(float) / add / 1e9, "GB/s", add);
            double sum = Median(backend, () => Ops.Sum(x));
            Report("sum", $"sum of {elements:N0} floats", (double)elements * sizeof(float) / sum / 1e9, "GB/s", sum);
        }
        return 0;
    }

    /// <summary>The median of at least five synchronised runs (more while under a second in all), after one that compiles.</summary>
    private static double Median(OpenCLBackend backend, Func<Tensor> op)
    {
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 6 || (total.Elapsed.TotalSeconds < 1 && run < 200); run++)
        {
            backend.Synchronize();
            var clock = Stopwatch.StartNew();
            using (op()) backend.Synchronize();
            if (run > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
