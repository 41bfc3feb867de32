using Grad.OpenCL;

namespace Grad.Tests.OpenCL;

/// <summary><c>grad tune</c>'s parts: the search keeps only candidates that compute the right
/// product and leaves the backend on the fastest, the convolution's choice keeps Winograd only where
/// it is right and faster; the cache remembers both per device and driver.</summary>
[Collection(WinogradSwitchCollection.Name)]
public class TuningTests(BackendFixture device) : IClassFixture<BackendFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("grad-tuning-").FullName;

    private OpenCLBackend Backend => (OpenCLBackend)device.Backend;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_tuner_tries_every_fitting_candidate_and_keeps_the_fastest_correct_one()
    {
        var before = Backend.Gemm;
        try
        {
            var reported = new List<GemmTuner.Trial>();
            var trials = GemmTuner.Tune(Backend, 64, reported.Add);
            Assert.Equal(GemmTuner.Candidates(Backend.Device).Count(), trials.Count);
            Assert.Equal(trials, reported);
            Assert.All(trials, t => Assert.True(t.Rejected is null, $"{t.Parameters} was rejected: {t.Rejected}"));
            Assert.Equal(trials.MaxBy(t => t.Gflops)!.Parameters, Backend.Gemm);
        }
        finally
        {
            Backend.Gemm = before;
        }
    }

    [Fact]
    public void The_convolution_choice_times_both_algorithms_and_keeps_the_faster()
    {
        bool before = Backend.Winograd;
        try
        {
            var reported = new List<ConvolutionTuner.Trial>();
            var trials = ConvolutionTuner.Tune(Backend, reported.Add, batch: 2, channels: 32, size: 8);
            Assert.Equal(["im2col", "winograd"], trials.Select(t => t.Algorithm));
            Assert.Equal(trials, reported);
            Assert.All(trials, t => Assert.True(t.Rejected is null && t.Milliseconds > 0, $"{t.Algorithm}: {t.Rejected}"));
            Assert.Equal(trials[1].Milliseconds < trials[0].Milliseconds, Backend.Winograd);
            Assert.Throws<ArgumentException>(() => ConvolutionTuner.Tune(Backend, _ => { }, batch: 2, channels: 16, size: 8));
        }
        finally
        {
            Backend.Winograd = before;
        }
    }

    [Fact]
    public void The_cache_keeps_parameters_per_device_and_driver_and_ignores_a_corrupt_file()
    {
        var path = Path.Combine(_folder, "sub", "opencl-tuning.json");
        Assert.Null(TuningCache.Find(Backend.Device, path));
        var tuned = new DeviceTuning(new GemmParameters(32, 32, 8, 4, 4), Winograd: false);
        TuningCache.Store(Backend.Device, tuned, path);
        Assert.Equal(tuned, TuningCache.Find(Backend.Device, path));
        Assert.Null(TuningCache.Find(Backend.Device with { DriverVersion = "another driver" }, path));

        File.WriteAllText(path, "{ not json");
        Assert.Null(TuningCache.Find(Backend.Device, path));
        var columns = tuned.Gemm with { Columns = true, TileM = 8, WorkM = 8, TileN = 8, WorkN = 8, TileK = 1 };
        TuningCache.Store(Backend.Device, new DeviceTuning(columns, Winograd: true), path);
        Assert.True(TuningCache.Find(Backend.Device, path)!.Gemm.Columns);

        // An entry of GEMM parameters alone, from before the convolution's choice was stored.
        var gemmOnly = new Dictionary<string, GemmParameters> { [$"{Backend.Device.Name} | {Backend.Device.DriverVersion}"] = tuned.Gemm };
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(gemmOnly));
        Assert.Null(TuningCache.Find(Backend.Device, path));
    }
}
