using System.Runtime.Intrinsics;
using Grad;
using Grad.Cpu;

// The `grad` program. The CIFAR-10 trainers are added as subcommands by the training issue;
// until then it reports what Grad sees on this machine.
Console.WriteLine($"Grad on {Environment.OSVersion}, .NET {Environment.Version}");
Console.WriteLine($"  default device : {Device.Default.Name}");
Console.WriteLine($"  CPU threads    : {CpuBackend.Threads}");
Console.WriteLine($"  SIMD           : Vector256 {(Vector256.IsHardwareAccelerated ? "yes" : "no")}, Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}");
