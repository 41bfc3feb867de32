using Grad.Datasets;
using GradTrainer;

// Trains a network on CIFAR-10 and writes a run folder; `dotnet run -- --help` lists the options.
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(TrainerOptions.Usage);
        return 0;
    }
    return Training.Run(TrainerOptions.Parse(args));
}
catch (Exception e) when (e is ArgumentException or DatasetUnavailableException or InvalidDataException or IOException or UnauthorizedAccessException)
{
    // Bad options, missing or corrupt data, an unwritable folder: one line, not a stack trace.
    Console.Error.WriteLine("error: " + e.Message);
    return 2;
}
