namespace Grad.Tests.Unit.OpenCL;

/// <summary>A theory that needs an OpenCL driver. Skipped, with the reason shown, only where none
/// is installed and CI is unset; on CI a missing driver fails the test instead.</summary>
public sealed class OpenCLTheoryAttribute : TheoryAttribute
{
    public OpenCLTheoryAttribute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) return;
        using var runner = OpenCLKernelRunner.TryCreate([], out var reason);
        if (runner is null) Skip = reason;
    }
}
