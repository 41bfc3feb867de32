// Runs ConvRun without going through Program.cs (until `grad-bench conv` dispatches to it):
//   dotnet run -c Release bench/conv-run.cs -- [--json] [--iterations N] [--threads N]
#:project Grad.Benchmarks/Grad.Benchmarks.csproj
return Grad.Benchmarks.ConvRun.Run(args);
