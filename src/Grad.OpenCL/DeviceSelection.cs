using Grad.Backends;

namespace Grad.OpenCL;

/// <summary>Turns a device spec into a backend: <c>cpu</c>, <c>opencl</c> (the first GPU, else the
/// first OpenCL device), <c>opencl:N</c>, or <c>auto</c> (an OpenCL GPU where there is one, else
/// the CPU, which beats an OpenCL driver running on the same CPU).</summary>
public static class DeviceSelection
{
    /// <summary>The environment variable that gives the default spec.</summary>
    public const string Variable = "GRAD_DEVICE";

    /// <summary>The spec to use when none is given: $GRAD_DEVICE, else cpu.</summary>
    public static string DefaultSpec => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } spec ? spec : "cpu";

    /// <summary>Whether <paramref name="spec"/> is spelled as a device spec (it may still name a missing device).</summary>
    public static bool IsWellFormed(string spec) =>
        spec is "cpu" or "auto" or "opencl" || (spec.StartsWith("opencl:", StringComparison.Ordinal) && int.TryParse(spec[7..], out int n) && n >= 0);

    /// <summary>The backend of <paramref name="spec"/>, and for <c>auto</c> a note saying what it
    /// chose and why. Throws <see cref="OpenCLUnavailableException"/> for an OpenCL spec without a device.</summary>
    public static (IBackend Backend, string? Note) Choose(string spec)
    {
        if (!IsWellFormed(spec))
            throw new ArgumentException($"--device: '{spec}' is not a device; use cpu, auto, opencl or opencl:N (`grad info` lists the devices).");
        if (spec == "cpu") return (Device.Cpu, null);
        if (spec != "auto") return (OpenCLBackend.Open(spec), null);
        try
        {
            var gpu = OpenCLDevices.All.FirstOrDefault(d => d.IsGpu);
            if (gpu is not null) return (OpenCLBackend.For(gpu), $"--device auto: using {gpu.DisplayName}");
            var found = OpenCLDevices.All.Count == 0 ? "no OpenCL device" : "only " + string.Join(", ", OpenCLDevices.All.Select(d => d.Name));
            return (Device.Cpu, $"--device auto: no OpenCL GPU ({found}); using the CPU");
        }
        catch (OpenCLException e)
        {
            return (Device.Cpu, $"--device auto: OpenCL is unavailable ({e.Message.Split('\n')[0]}); using the CPU");
        }
    }
}
