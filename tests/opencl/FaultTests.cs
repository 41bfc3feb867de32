using Grad.Fusion;
using Grad.OpenCL;

namespace Grad.Tests.OpenCL;

/// <summary>What a user sees when OpenCL goes wrong: each fault a clear exception that names the
/// cause, never a crash or a hang.</summary>
public class FaultTests(BackendFixture device) : IClassFixture<BackendFixture>
{
    private OpenCLBackend Backend => (OpenCLBackend)device.Backend;

    /// <summary>A kernel whose OpenCL C does not compile, as a hand-written ElementwiseKernel with a
    /// misspelt function would be.</summary>
    private sealed class MisspeltKernel : ElementwiseKernel
    {
        public override string Name => "Misspelt";
        public override int InputCount => 1;
        public override int ScalarCount => 0;
        public override string OpenCLBody => "y0 = no_such_function(x0);";
        public override void Row(in ElementwiseRow<float> row) => throw new NotSupportedException();
        public override void Row(in ElementwiseRow<double> row) => throw new NotSupportedException();
    }

    [Fact]
    public void A_kernel_that_does_not_compile_names_itself_and_shows_the_build_log()
    {
        using var x = device.Ones([3]);
        var error = Assert.Throws<OpenCLBuildException>(() => Ops.Fused(new MisspeltKernel(), [x], []));
        Assert.Contains("Misspelt", error.Message);
        Assert.Contains("no_such_function", error.BuildLog);
    }

    [Fact]
    public void A_tensor_larger_than_the_device_allows_is_refused_with_its_size()
    {
        var error = Assert.Throws<OpenCLOutOfMemoryException>(() => device.Zeros([int.MaxValue], DType.Float64));
        Assert.Contains(Backend.Name, error.Message);
        Assert.Contains("GiB", error.Message);
        Assert.Contains($"shape ({int.MaxValue},)", error.Message);
    }

    [Fact]
    public void A_missing_device_number_lists_the_devices_there_are()
    {
        var error = Assert.Throws<OpenCLUnavailableException>(() => OpenCLBackend.Open("opencl:99"));
        Assert.Contains("no OpenCL device 99", error.Message);
        Assert.Contains(Backend.Device.Name, error.Message);
    }

    [Fact]
    public void Device_specs_are_checked_before_any_device_is_opened()
    {
        Assert.Throws<ArgumentException>(() => DeviceSelection.Choose("gpu"));
        Assert.Throws<ArgumentException>(() => DeviceSelection.Choose("opencl:-1"));
        Assert.Same(Device.Cpu, DeviceSelection.Choose("cpu").Backend);
    }

    [Fact]
    public void Auto_takes_an_opencl_gpu_or_falls_back_to_the_cpu_and_says_so()
    {
        var (backend, note) = DeviceSelection.Choose("auto");
        Assert.NotNull(note);
        if (OpenCLDevices.All.Any(d => d.IsGpu)) Assert.IsType<OpenCLBackend>(backend);
        else
        {
            Assert.Same(Device.Cpu, backend);
            Assert.Contains("using the CPU", note);
        }
    }

    [Fact]
    public void Tensors_of_two_backends_do_not_mix_silently()
    {
        using var x = device.Ones([2]);
        using var y = Tensor.Ones([2], backend: Device.Cpu);
        var error = Assert.Throws<ArgumentException>(() => x + y);
        Assert.Contains("different devices", error.Message);
    }
}
