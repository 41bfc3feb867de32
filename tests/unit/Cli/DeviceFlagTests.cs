using System.Globalization;
using System.Text.Json;

namespace Grad.Tests.Unit.Cli;

/// <summary><c>--device</c> as a user meets it: a trainer on OpenCL (PoCL in CI) computes what it
/// computes on the CPU; no OpenCL driver is a clear error, or for <c>auto</c> a note and the CPU.</summary>
public sealed class DeviceFlagTests : IDisposable
{
    private const int Records = 40;
    private readonly TempDirectory _temp = new();
    private readonly string _data;

    /// <summary>An ICD folder with no driver in it: the OpenCL loader then finds no platform.</summary>
    private readonly Dictionary<string, string> _noDriver;

    public DeviceFlagTests()
    {
        _data = GradProcess.WriteData(_temp.Combine("data"), Records);
        _noDriver = new() { ["OCL_ICD_VENDORS"] = Directory.CreateDirectory(_temp.Combine("no-icd")).FullName };
    }

    public void Dispose() => _temp.Dispose();

    private string[] Args(string output, string device) =>
    [
        "mlp-numpy", "--data", _data, "--records_per_file", Records.ToString(CultureInfo.InvariantCulture), "--batch_size", "10",
        "--optimizer", "adam", "--learning_rate", "1e-3", "--threads", "1", "--max_steps", "6", "--eval_freq", "3", "--device", device, "--out", output,
    ];

    private static double[] TrainLosses(string run)
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        return metrics.RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("train_loss").GetDouble()).ToArray();
    }

    [Fact]
    public void A_trainer_on_opencl_gives_the_cpus_losses()
    {
        string cpu = _temp.Combine("cpu"), opencl = _temp.Combine("opencl");
        var onCpu = GradProcess.Run(Args(cpu, "cpu"));
        Assert.True(onCpu.Code == 0, onCpu.Stderr);
        var onDevice = GradProcess.Run(Args(opencl, "opencl"));
        Assert.True(onDevice.Code == 0, onDevice.Stderr);
        Assert.True(File.Exists(Path.Combine(opencl, "checkpoint.safetensors")));
        var (expected, actual) = (TrainLosses(cpu), TrainLosses(opencl));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"point {i}: cpu {expected[i]}, opencl {actual[i]}");
    }

    [Fact]
    public void Opencl_without_a_driver_says_how_to_install_one()
    {
        var run = GradProcess.RunWith(_noDriver, Args(_temp.Combine("none"), "opencl"));
        Assert.Equal(4, run.Code);
        Assert.Contains("No OpenCL device was found", run.Stderr);
        Assert.Contains("apt-get install pocl-opencl-icd", run.Stderr);
        Assert.DoesNotContain("\n   at ", run.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("none")));
    }

    [Fact]
    public void Auto_without_a_gpu_trains_on_the_cpu_and_says_so()
    {
        var run = GradProcess.RunWith(_noDriver, Args(_temp.Combine("auto"), "auto"));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("using the CPU", run.Stdout + run.Stderr);
    }

    [Fact]
    public void Grad_info_lists_the_opencl_devices_or_says_there_are_none()
    {
        var info = GradProcess.Run("info");
        Assert.Equal(0, info.Code);
        Assert.Contains("opencl:0", info.Stdout);
        var none = GradProcess.RunWith(_noDriver, "info");
        Assert.Equal(0, none.Code);
        Assert.Contains("none: the OpenCL loader found no platform", none.Stdout);
    }

    [Fact]
    public void A_device_that_is_not_one_is_refused_by_name()
    {
        var run = GradProcess.Run(Args(_temp.Combine("bad"), "gpu"));
        Assert.NotEqual(0, run.Code);
        Assert.Contains("--device: 'gpu' is not a device", run.Stderr);
    }
}
