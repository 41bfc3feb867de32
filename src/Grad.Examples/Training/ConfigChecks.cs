using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grad.Examples.Training;

/// <summary>
/// What makes a configuration usable, checked before anything is written: every number in its
/// range (an error names the flag, or the key of the run's <c>config.json</c> it came from), the
/// run folder, and for <c>--resume</c> the flags that may change in a continued run.
/// </summary>
public static class ConfigChecks
{
    /// <summary>Each flag and the config.json key it sets.</summary>
    private static readonly (string Flag, string Key)[] Flags =
    [
        ("--learning_rate", "learning_rate"), ("--batch_size", "batch_size"), ("--max_steps", "max_steps"),
        ("--eval_freq", "eval_frequency"), ("--optimizer", "optimizer"), ("--momentum", "momentum"),
        ("--regularizer", "weight_decay"), ("--ema", "ema"), ("--dnn_hidden_units", "hidden_units"), ("--seed", "seed"),
        ("--device", "device"), ("--threads", "threads"), ("--augment", "augment"), ("--standardize", "standardize"),
        ("--lr_schedule", "learning_rate_schedule"), ("--warmup_steps", "warmup_steps"), ("--validation_size", "validation_size"),
        ("--checkpoint_every", "checkpoint_every"), ("--data", "data"), ("--records_per_file", "records_per_file"), ("--checkpoint_minutes", "checkpoint_minutes"),
    ];

    /// <summary>Flags a resumed run takes from the command line: they change neither the model nor the batches seen so far.</summary>
    private static readonly HashSet<string> Changeable = ["--max_steps", "--eval_freq", "--checkpoint_every", "--data", "--threads", "--device", "--records_per_file", "--checkpoint_minutes"];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.
    /// <paramref name="source"/>: null for command-line flags, else the config.json they were read from.</summary>
    public static void Validate(TrainConfig c, string? source = null)
    {
        string Name(string flag) => source is null ? flag : $"{source}: '{Flags.First(f => f.Flag == flag).Key}'";
        string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        void Require(bool ok, string flag, string rule, string value)
        {
            if (!ok) throw new ArgumentException($"{Name(flag)} must be {rule}, got {value}.");
        }
        Require(c.LearningRate > 0 && double.IsFinite(c.LearningRate), "--learning_rate", "a positive number", F(c.LearningRate));
        Require(c.BatchSize >= 1, "--batch_size", "at least 1", F(c.BatchSize));
        Require(c.MaxSteps >= 1, "--max_steps", "at least 1", F(c.MaxSteps));
        Require(c.EvalFrequency >= 1, "--eval_freq", "at least 1 (evaluate every this many steps)", F(c.EvalFrequency));
        Require(c.CheckpointEvery >= 0, "--checkpoint_every", "0 (only at evaluations) or a number of steps", F(c.CheckpointEvery));
        Require(c.CheckpointMinutes >= 0 && double.IsFinite(c.CheckpointMinutes), "--checkpoint_minutes", "0 (never) or a number of minutes", F(c.CheckpointMinutes));
        Require(c.Momentum >= 0 && c.Momentum < 1, "--momentum", "in [0, 1)", F(c.Momentum));
        Require(c.WeightDecay >= 0 && double.IsFinite(c.WeightDecay), "--regularizer", "a finite number ≥ 0", F(c.WeightDecay));
        Require(c.Ema >= 0 && c.Ema < 1, "--ema", "in [0, 1)", F(c.Ema));
        Require(c.WarmupSteps >= 0, "--warmup_steps", "≥ 0", F(c.WarmupSteps));
        Require(c.ValidationSize >= 0, "--validation_size", "≥ 0", F(c.ValidationSize));
        Require(c.RecordsPerFile is null or >= 1, "--records_per_file", "at least 1", F(c.RecordsPerFile ?? 0));
        Require(c.Threads >= 1, "--threads", "at least 1", F(c.Threads));
        Require(c.Optimizer is "sgd" or "adam", "--optimizer", "sgd or adam", $"'{c.Optimizer}'");
        Require(c.LearningRateSchedule is "constant" or "cosine" or "onecycle", "--lr_schedule", "constant, cosine or onecycle", $"'{c.LearningRateSchedule}'");
        Require(c.HiddenUnits.All(u => u >= 1), "--dnn_hidden_units", "positive widths", string.Join(",", c.HiddenUnits));
    }

    /// <summary>A run's saved settings, or an error that says what is wrong with the file.</summary>
    public static TrainConfig Read(string path)
    {
        TrainConfig config;
        try
        {
            config = TrainConfig.FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--resume: {path} is not a valid run configuration ({e.Message}); restore it from the run's start, or start a new run.");
        }
        if (string.IsNullOrEmpty(config.Model) || string.IsNullOrEmpty(config.Output))
            throw new InvalidDataException($"--resume: {path} has no 'model' or 'output'; it is not a run configuration grad wrote.");
        Validate(config, path);
        return config;
    }

    /// <summary>
    /// The settings of a resumed run: its config.json's, with the flags that may change taken from the
    /// command line (<c>--max_steps</c> extends a run, <c>--data</c> follows moved data). A flag that
    /// would change what the checkpoint means (<c>--learning_rate</c>, <c>--seed</c>, …) is refused by
    /// name unless it repeats the saved value.
    /// </summary>
    public static TrainConfig Resumed(TrainConfig saved, TrainConfig requested, string runPath)
    {
        var savedJson = JsonNode.Parse(saved.ToJson())!;
        var requestedJson = JsonNode.Parse(requested.ToJson())!;
        var refused = Flags
            .Where(f => requested.Given.Contains(f.Flag) && !Changeable.Contains(f.Flag) && !JsonNode.DeepEquals(savedJson[f.Key], requestedJson[f.Key]))
            .Select(f => $"{f.Flag} (the run has {savedJson[f.Key]?.ToJsonString() ?? "none"})")
            .ToList();
        if (requested.Given.Contains("--out") && Path.GetFullPath(requested.Output) != Path.GetFullPath(runPath))
            refused.Add($"--out (a resumed run continues in its own folder, {runPath})");
        if (refused.Count > 0)
            throw new ArgumentException($"--resume: these flags cannot change in a resumed run: {string.Join("; ", refused)}. " +
                "Drop them, or start a new run with its own --out.");
        var config = saved with { Output = runPath, Resume = requested.Resume, Threads = requested.Threads, Given = requested.Given };
        if (requested.Given.Contains("--max_steps")) config = config with { MaxSteps = requested.MaxSteps };
        if (requested.Given.Contains("--eval_freq")) config = config with { EvalFrequency = requested.EvalFrequency };
        if (requested.Given.Contains("--checkpoint_every")) config = config with { CheckpointEvery = requested.CheckpointEvery };
        if (requested.Given.Contains("--checkpoint_minutes")) config = config with { CheckpointMinutes = requested.CheckpointMinutes };
        if (requested.Given.Contains("--data")) config = config with { Data = requested.Data };
        if (requested.Given.Contains("--device")) config = config with { Device = requested.Device };
        if (requested.Given.Contains("--records_per_file")) config = config with { RecordsPerFile = requested.RecordsPerFile };
        return config;
    }

    /// <summary>A new run's folder must be creatable and writable, and must not hold another run
    /// (its checkpoint or metrics would be overwritten) unless <c>--overwrite</c> says so. Returns
    /// the outermost folder it created (null: none), for removal if the run fails before saving anything.</summary>
    public static string? CheckNewRunFolder(string output, bool overwrite)
    {
        var full = Path.GetFullPath(output);
        if (File.Exists(full)) throw new ArgumentException($"--out: {full} is a file, not a folder.");
        if (Directory.Exists(full) && !overwrite
            && (File.Exists(Path.Combine(full, "checkpoint.safetensors")) || File.Exists(Path.Combine(full, "metrics.json"))))
            throw new ArgumentException($"--out: {full} already holds a run; continue it with --resume {full}, " +
                "choose another folder, or give --overwrite to replace it.");
        string? created = null;
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) created = d;
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--out: cannot write in {full}: {e.Message}");
        }
        return created;
    }
}
