namespace Grad.OpenCL;

/// <summary>The device has no memory left for a tensor, even after Grad gave back every pooled
/// buffer.</summary>
public sealed class OpenCLOutOfMemoryException(string device, long bytes, string what)
    : OpenCLException($"{device} is out of memory: {what} needs {Format(bytes)}. Use a smaller batch size or model, or a device with more memory.")
{
    public long Bytes { get; } = bytes;

    private static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.##} MiB",
        _ => $"{bytes:N0} bytes",
    };
}
