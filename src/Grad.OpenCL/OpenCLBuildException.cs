namespace Grad.OpenCL;

/// <summary>The OpenCL compiler refused one of Grad's kernels: the message names the program and
/// its kernels and carries the driver's build log.</summary>
public sealed class OpenCLBuildException(string program, string buildLog, string options)
    : OpenCLException($"OpenCL could not build the program {program} (options: {options}). Build log:\n{buildLog}")
{
    public string Program { get; } = program;
    public string BuildLog { get; } = buildLog;
}
