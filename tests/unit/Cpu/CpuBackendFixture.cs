using Grad.Backends;
using Grad.Cpu;

namespace Grad.Tests;

/// <summary>The neutral suite's backend in this project: the CPU.</summary>
public sealed partial class BackendFixture
{
    public partial IBackend Backend => CpuBackend.Instance;

    public static partial bool RunsFloat64 => true;

    public partial double Tolerance(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-12;
}
