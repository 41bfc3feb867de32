using Silk.NET.OpenCL;

namespace Grad.OpenCL;

/// <summary>Discovers OpenCL platforms and devices and chooses one from a device spec.</summary>
public static unsafe class OpenCLDevices
{
    private static readonly Lazy<IReadOnlyList<OpenCLDevice>> Found = new(Discover);

    /// <summary>Every device of every platform; empty where a loader is installed but no driver.
    /// Throws <see cref="OpenCLUnavailableException"/> where no OpenCL loader is installed.</summary>
    public static IReadOnlyList<OpenCLDevice> All => Found.Value;

    /// <summary>The device a spec names: "opencl" (the first GPU, else the first device) or
    /// "opencl:N" (the N-th in <see cref="All"/>).</summary>
    public static OpenCLDevice Choose(string spec)
    {
        var devices = All;
        if (devices.Count == 0)
            throw new OpenCLUnavailableException($"No OpenCL device was found: the loader is installed but no platform (driver) is registered in /etc/OpenCL/vendors.\n{OpenCLUnavailableException.InstallHelp}");
        if (spec == "opencl") return devices.FirstOrDefault(d => d.IsGpu) ?? devices[0];
        if (spec.StartsWith("opencl:", StringComparison.Ordinal) && int.TryParse(spec["opencl:".Length..], out int index))
        {
            if (index >= 0 && index < devices.Count) return devices[index];
            throw new OpenCLUnavailableException(
                $"There is no OpenCL device {index}; found {devices.Count}:\n  {string.Join("\n  ", devices.Select(d => d.Describe()))}");
        }
        throw new ArgumentException($"'{spec}' is not an OpenCL device: use opencl or opencl:N.");
    }

    private static IReadOnlyList<OpenCLDevice> Discover()
    {
        var cl = OpenCLApi.Cl;
        uint platformCount;
        int status = cl.GetPlatformIDs(0, null, &platformCount);
        if (status == -1001 || platformCount == 0) return [];
        OpenCLException.Check(status, "clGetPlatformIDs");
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms) OpenCLException.Check(cl.GetPlatformIDs(platformCount, p, null), "clGetPlatformIDs");

        var devices = new List<OpenCLDevice>();
        foreach (var platform in platforms)
        {
            uint count;
            if (cl.GetDeviceIDs(platform, DeviceType.All, 0, null, &count) != 0 || count == 0) continue;
            var ids = new nint[count];
            fixed (nint* p = ids) OpenCLException.Check(cl.GetDeviceIDs(platform, DeviceType.All, count, p, null), "clGetDeviceIDs");
            var platformName = OpenCLApi.PlatformString(platform, PlatformInfo.Name);
            foreach (var id in ids) devices.Add(Describe(devices.Count, platform, platformName, id));
        }
        return devices;
    }

    private static OpenCLDevice Describe(int index, nint platform, string platformName, nint id)
    {
        var type = OpenCLApi.DeviceValue<ulong>(id, DeviceInfo.Type);
        return new OpenCLDevice(
            index,
            platformName,
            OpenCLApi.DeviceString(id, DeviceInfo.Name),
            OpenCLApi.DeviceString(id, DeviceInfo.Vendor),
            OpenCLApi.DeviceString(id, DeviceInfo.DriverVersion),
            OpenCLApi.DeviceString(id, DeviceInfo.Version),
            (type & (ulong)DeviceType.Gpu) != 0,
            (long)OpenCLApi.DeviceValue<ulong>(id, DeviceInfo.GlobalMemSize),
            (long)OpenCLApi.DeviceValue<ulong>(id, DeviceInfo.MaxMemAllocSize),
            (long)OpenCLApi.DeviceValue<ulong>(id, DeviceInfo.LocalMemSize),
            (int)OpenCLApi.DeviceValue<uint>(id, DeviceInfo.MaxComputeUnits),
            (int)OpenCLApi.DeviceValue<nuint>(id, DeviceInfo.MaxWorkGroupSize),
            OpenCLApi.DeviceString(id, DeviceInfo.Extensions).Contains("cl_khr_fp64"))
        { Id = id, PlatformId = platform };
    }
}
