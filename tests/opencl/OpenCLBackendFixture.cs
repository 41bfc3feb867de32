using Grad.Backends;
using Grad.OpenCL;

namespace Grad.Tests;

/// <summary>The neutral suite's backend in this project: the machine's OpenCL device ($GRAD_DEVICE,
/// else the first GPU, else the first device: PoCL in CI). Where no driver is installed every test
/// fails with the message that says how to install one; the suite never passes without a device.</summary>
public sealed partial class BackendFixture
{
    private static readonly Lazy<OpenCLBackend> Device = new(() =>
        OpenCLBackend.Open(Environment.GetEnvironmentVariable("GRAD_DEVICE") is { Length: > 0 } spec && spec.StartsWith("opencl") ? spec : "opencl"));

    public partial IBackend Backend => Device.Value;

    public static partial bool RunsFloat64 => Device.Value.Device.HasFloat64;

    /// <summary>OpenCL's exp, log and tanh are within a few ulp, not correctly rounded, and its
    /// sums run in another order than the CPU's.</summary>
    public partial double Tolerance(DType dtype) => dtype == DType.Float32 ? 2e-5 : 1e-12;
}
