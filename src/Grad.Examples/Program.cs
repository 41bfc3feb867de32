using System.CommandLine;
using Grad.Examples.Cli;

// The `grad` program: the practical's CIFAR-10 trainers and demos, as subcommands.
var root = new RootCommand("Grad: train the CIFAR-10 practical's networks with generated backward passes.");
root.Subcommands.Add(TrainingCommands.MlpNumpy());
root.Subcommands.Add(TrainingCommands.Mlp());
root.Subcommands.Add(TrainingCommands.ConvNet());
root.Subcommands.Add(BatchNormDemo.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(Grad.Examples.Sweep.SweepCommand.Create());
// The trainers handle SIGINT and SIGTERM themselves (Training/StopSignals.cs: save, then exit);
// System.CommandLine's own handling would end the process before the checkpoint is written.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
