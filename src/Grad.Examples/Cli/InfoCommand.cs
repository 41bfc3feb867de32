using System.CommandLine;
using System.Runtime.Intrinsics;
using Grad.Cpu;

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
            Console.WriteLine($"  default device : {Device.Default.Name}");
            Console.WriteLine($"  CPU threads    : {CpuBackend.Threads}");
            Console.WriteLine($"  SIMD           : Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")}, Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}");
            return 0;
        });
        return command;
    }
}
