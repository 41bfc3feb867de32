using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grad.OpenCL;

namespace Grad.Examples.Cli;

/// <summary><c>grad tune</c>: searches the GEMM's parameters on an OpenCL device, prints every
/// candidate's GFLOP/s beside the CPU backend's, then times a 3×3 layer by im2col and by Winograd
/// on the fastest GEMM, and stores both choices for that device and driver.</summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "The OpenCL device: opencl or opencl:N.", DefaultValueFactory = _ => "opencl" };
        var size = new Option<int>("--size") { Description = "Side of the square float32 product timed.", DefaultValueFactory = _ => 1024 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Measure and print, but store nothing." };
        var command = new Command("tune", "Find the fastest GEMM parameters and convolution algorithm on an OpenCL device and remember them.") { device, size, dryRun };
        command.SetAction(parse => Training.Runner.Guard(() =>
        {
            int n = parse.GetValue(size);
            if (n < 16 || n > 8192) throw new ArgumentException($"--size: give a size in [16, 8192], got {n}.");
            var backend = OpenCLBackend.Open(parse.GetValue(device)!);
            Console.WriteLine($"Tuning the GEMM on {backend.Name}, driver {backend.Device.DriverVersion}, float32 {n}×{n}×{n}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the CPU backend at this size: {CpuGflops(n):F1} GFLOP/s"));
            var trials = GemmTuner.Tune(backend, n, trial => Console.WriteLine(trial.Rejected is null
                ? string.Create(CultureInfo.InvariantCulture, $"  {Describe(trial.Parameters),-44} {trial.Gflops,8:F1} GFLOP/s")
                : $"  {Describe(trial.Parameters),-44} rejected: {trial.Rejected}"));
            if (trials.All(t => t.Rejected is not null))
            {
                Console.Error.WriteLine("error: every candidate failed on this device; the shipped defaults stay in use.");
                return 5;
            }
            Console.WriteLine($"fastest: {Describe(backend.Gemm)}");
            Console.WriteLine($"3×3 convolution, {ConvolutionTuner.Channels} channels on {ConvolutionTuner.Size}×{ConvolutionTuner.Size} planes, " +
                $"batch {ConvolutionTuner.Batch}, forward and both gradients:");
            ConvolutionTuner.Tune(backend, trial => Console.WriteLine(trial.Rejected is null
                ? string.Create(CultureInfo.InvariantCulture, $"  {trial.Algorithm,-44} {trial.Milliseconds,8:F1} ms")
                : $"  {trial.Algorithm,-44} rejected: {trial.Rejected}"));
            Console.WriteLine($"fastest: {(backend.Winograd ? "winograd" : "im2col")}");
            if (parse.GetValue(dryRun)) return 0;
            TuningCache.Store(backend.Device, new DeviceTuning(backend.Gemm, backend.Winograd));
            Console.WriteLine($"stored in {TuningCache.Path}; every later run on this device and driver uses it.");
            return 0;
        }));
        return command;
    }

    private static string Describe(GemmParameters p) => p.Columns
        ? $"columns {p.WorkM}×{p.WorkN} per work-item"
        : $"tiled {p.TileM}×{p.TileN}×{p.TileK}, {p.WorkM}×{p.WorkN} per work-item";

    private static double CpuGflops(int n)
    {
        using var a = Init.Normal([n, n], seed: 1, backend: Device.Cpu);
        using var b = Init.Normal([n, n], seed: 2, backend: Device.Cpu);
        var times = new List<double>();
        for (int run = 0; run < 4; run++)
        {
            var clock = Stopwatch.StartNew();
            using (Ops.MatMul(a, b)) { }
            if (run > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return 2.0 * n * n * n / times[times.Count / 2] / 1e9;
    }
}
