using BenchmarkDotNet.Running;
using Grad.Benchmarks;

// Whole-run subcommands first; anything else (e.g. --filter *Gemm*) goes to BenchmarkDotNet.
var subcommands = new Dictionary<string, Func<string[], int>>
{
    ["gemm"] = GemmRun.Run,
    ["conv"] = ConvRun.Run,
    ["train-step"] = TrainStepRun.Run,
    ["layers"] = LayerProfileRun.Run,
    ["device-ops"] = DeviceOpsRun.Run,
};

if (args.Length > 0 && subcommands.TryGetValue(args[0], out var subcommand))
    return subcommand(args[1..]);

if (args.Length > 0 && !args[0].StartsWith('-'))
{
    Console.Error.WriteLine($"unknown subcommand '{args[0]}'.");
    Console.Error.WriteLine($"usage: Grad.Benchmarks <{string.Join('|', subcommands.Keys)}> [options]   (whole-run benchmarks)");
    Console.Error.WriteLine("       Grad.Benchmarks [BenchmarkDotNet options, e.g. --filter *Gemm*]");
    return 2;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
