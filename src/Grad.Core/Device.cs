using Grad.Backends;
using Grad.Cpu;

namespace Grad;

/// <summary>Where tensors live. Factories without an explicit backend use <see cref="Default"/>.</summary>
public static class Device
{
    public static IBackend Cpu => CpuBackend.Instance;

    /// <summary>The backend new tensors are created on; the CPU unless a program changes it.</summary>
    public static IBackend Default { get; set; } = CpuBackend.Instance;
}
