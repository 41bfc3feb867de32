using System.Text;
using Silk.NET.OpenCL;

namespace Grad.OpenCL;

/// <summary>The process's one binding of the OpenCL loader (libOpenCL.so.1 / OpenCL.dll), and the
/// string and number queries every part of the backend makes.</summary>
internal static unsafe class OpenCLApi
{
    private static readonly Lazy<CL> Loaded = new(Load);

    public static CL Cl => Loaded.Value;

    private static CL Load()
    {
        try
        {
            return CL.GetApi();
        }
        catch (Exception e) when (e is DllNotFoundException or FileNotFoundException or InvalidOperationException or TypeInitializationException)
        {
            throw new OpenCLUnavailableException(
                $"The OpenCL loader (libOpenCL.so.1) is not installed: {e.Message}\n{OpenCLUnavailableException.InstallHelp}");
        }
    }

    public static string PlatformString(nint platform, PlatformInfo info) =>
        StringOf((size, value, written) => Cl.GetPlatformInfo(platform, info, size, value, written), "clGetPlatformInfo");

    public static string DeviceString(nint device, DeviceInfo info) =>
        StringOf((size, value, written) => Cl.GetDeviceInfo(device, info, size, value, written), "clGetDeviceInfo");

    /// <summary>An OpenCL info query's string: OpenCL's two calls, one for the size, one for the bytes.</summary>
    private delegate int InfoQuery(nuint size, void* value, nuint* written);

    private static string StringOf(InfoQuery query, string call)
    {
        nuint size;
        OpenCLException.Check(query(0, null, &size), call);
        var bytes = new byte[size];
        fixed (byte* p = bytes) OpenCLException.Check(query(size, p, null), call);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0').Trim();
    }

    public static T DeviceValue<T>(nint device, DeviceInfo info) where T : unmanaged
    {
        T value = default;
        OpenCLException.Check(Cl.GetDeviceInfo(device, info, (nuint)sizeof(T), &value, null), "clGetDeviceInfo");
        return value;
    }
}
