namespace Grad.OpenCL;

/// <summary>No usable OpenCL platform or device: the message lists what was found and how to
/// install a driver.</summary>
public sealed class OpenCLUnavailableException(string message) : OpenCLException(message)
{
    public const string InstallHelp =
        "To run on OpenCL, install a driver: on Debian/Ubuntu `apt-get install pocl-opencl-icd` (any CPU), " +
        "or your GPU vendor's OpenCL driver; NVIDIA's is often installed but unregistered: " +
        "`echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd`. `grad info` lists what Grad finds.";
}
