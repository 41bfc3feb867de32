using System.CommandLine;
using Grad.Examples.Training;
using Grad.OpenCL;

namespace Grad.Examples.Cli;

/// <summary>The flags every trainer shares, and reading them into a <see cref="TrainConfig"/>.</summary>
public sealed class Common
{
    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of initialisation, shuffling and augmentation.", DefaultValueFactory = _ => 42 };
    private readonly Option<string?> _out = new("--out") { Description = "Run folder (default: runs/<trainer>-<time>)." };
    private readonly Option<string?> _data = new("--data") { Description = "CIFAR-10 folder or cifar-10-binary.tar.gz (default: $GRAD_DATA, then ./data)." };
    private readonly Option<string> _device = new("--device")
    {
        Description = "cpu, auto (an OpenCL GPU if there is one, else the CPU), opencl (the first GPU, else the first OpenCL device) or opencl:N; default $GRAD_DEVICE, else cpu.",
        DefaultValueFactory = _ => DeviceSelection.DefaultSpec,
    };
    private readonly Option<int> _threads = new("--threads") { Description = "CPU threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue a run from its checkpoint (a run folder or its checkpoint file)." };
    private readonly Option<bool> _augment = new("--augment") { Description = "Random crops (4-pixel padding) and horizontal flips." };
    private readonly Option<bool> _standardize = new("--standardize") { Description = "Per-channel standardisation instead of mean-image subtraction." };
    private readonly Option<string> _schedule = new("--lr_schedule") { Description = "constant, cosine or onecycle.", DefaultValueFactory = _ => "constant" };
    private readonly Option<int> _warmup = new("--warmup_steps") { Description = "Linear learning-rate warm-up steps.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _validation = new("--validation_size")
    {
        Description = "Training images held out (the first ones) and evaluated beside the test set, to choose settings without the test set.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<int> _checkpointEvery = new("--checkpoint_every")
    {
        Description = "Also save a checkpoint every this many steps, between evaluations (0: only at evaluations), so a killed run loses at most this many.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Let a new run replace the run already in its --out folder." };

    private readonly Option<int?> _recordsPerFile = new("--records_per_file")
    {
        Description = "Records in each batch file of a smaller CIFAR-10-format data set (default: the official 10,000).",
        Hidden = true,
    };

    private readonly Option<double> _checkpointMinutes = new("--checkpoint_minutes")
    {
        Description = "Also save a checkpoint when this many minutes have passed since the last save (0: never), so a killed run loses at most that much time.",
        DefaultValueFactory = _ => 0,
    };

    private Common() { }

    public static Common AddTo(Command command)
    {
        var common = new Common();
        common._device.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } spec && !DeviceSelection.IsWellFormed(spec))
                result.AddError($"--device: '{spec}' is not a device; use cpu, auto, opencl or opencl:N (`grad info` lists the devices).");
        });
        common._schedule.AcceptOnlyFromAmong("constant", "cosine", "onecycle");
        foreach (var option in new Option[] { common._seed, common._out, common._data, common._device, common._threads, common._resume,
                     common._augment, common._standardize, common._schedule, common._warmup, common._validation, common._checkpointEvery, common._overwrite, common._recordsPerFile, common._checkpointMinutes })
            command.Options.Add(option);
        return common;
    }

    public TrainConfig Read(ParseResult parse, string model)
    {
        int threads = parse.GetValue(_threads);
        return new TrainConfig
        {
            Model = model,
            Seed = parse.GetValue(_seed),
            Output = parse.GetValue(_out) ?? Path.Combine("runs", $"{model}-{DateTime.Now:yyyyMMdd-HHmmss}"),
            Data = parse.GetValue(_data),
            Device = parse.GetValue(_device)!,
            Threads = threads,
            Resume = parse.GetValue(_resume),
            Augment = parse.GetValue(_augment),
            Standardize = parse.GetValue(_standardize),
            LearningRateSchedule = parse.GetValue(_schedule)!,
            WarmupSteps = parse.GetValue(_warmup),
            ValidationSize = parse.GetValue(_validation),
            CheckpointEvery = parse.GetValue(_checkpointEvery),
            Overwrite = parse.GetValue(_overwrite),
            CheckpointMinutes = parse.GetValue(_checkpointMinutes),
            RecordsPerFile = parse.GetValue(_recordsPerFile),
        };
    }
}
