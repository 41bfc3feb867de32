using System.CommandLine;
using System.Runtime.Intrinsics;
using Grad.Cpu;
using Grad.OpenCL;

namespace Grad.Examples.Cli;

/// <summary><c>grad info</c>: what Grad sees on this machine.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the devices, threads and SIMD support Grad will use.");
        command.SetAction(_ =>
        {
            Console.WriteLine($"Grad on {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"  default device : {DeviceSelection.DefaultSpec}{(Environment.GetEnvironmentVariable(DeviceSelection.Variable) is { Length: > 0 } ? $" (from ${DeviceSelection.Variable})" : "")}");
            Console.WriteLine($"  CPU threads    : {CpuBackend.Threads}");
            Console.WriteLine($"  SIMD           : Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")}, Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}");
            Console.WriteLine("  OpenCL devices :");
            foreach (var line in OpenCLLines()) Console.WriteLine("    " + line);
            return 0;
        });
        return command;
    }

    private static IEnumerable<string> OpenCLLines()
    {
        IReadOnlyList<OpenCLDevice> devices;
        try
        {
            devices = OpenCLDevices.All;
        }
        catch (OpenCLException e)
        {
            return e.Message.Split('\n');
        }
        if (devices.Count == 0)
            return ["none: the OpenCL loader found no platform (driver).", .. OpenCLUnavailableException.InstallHelp.Split('\n')];
        return devices.Select(d => d.Describe());
    }
}
