namespace Grad.OpenCL;

/// <summary>One OpenCL device as the driver describes it. <see cref="Index"/> numbers every device
/// of every platform in discovery order: <c>--device opencl:N</c> names it.</summary>
public sealed record OpenCLDevice(
    int Index,
    string Platform,
    string Name,
    string Vendor,
    string DriverVersion,
    string Version,
    bool IsGpu,
    long GlobalMemoryBytes,
    long MaxAllocationBytes,
    long LocalMemoryBytes,
    int ComputeUnits,
    int MaxWorkGroupSize,
    bool HasFloat64)
{
    internal nint Id { get; init; }
    internal nint PlatformId { get; init; }

    /// <summary>"opencl:0 (NVIDIA H200)": the name tensors and messages use.</summary>
    public string DisplayName => $"opencl:{Index} ({Name})";

    /// <summary>One line for <c>grad info</c>.</summary>
    public string Describe() =>
        $"opencl:{Index}  {Name} [{(IsGpu ? "GPU" : "CPU")}] on {Platform}; {GlobalMemoryBytes / (double)(1L << 30):0.#} GiB, " +
        $"{ComputeUnits} compute units, fp64 {(HasFloat64 ? "yes" : "no")}, driver {DriverVersion}, {Version}";
}
