using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grad.Examples.Training;

/// <summary>Everything that defines a run; saved as <c>config.json</c> in the run's folder and
/// read back by <c>--resume</c>.</summary>
public sealed record TrainConfig
{
    public required string Model { get; init; }
    public IReadOnlyList<int> HiddenUnits { get; init; } = [];
    public string Optimizer { get; init; } = "sgd";
    public double LearningRate { get; init; }
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public int BatchSize { get; init; }
    public int MaxSteps { get; init; }
    public int EvalFrequency { get; init; }

    /// <summary>Also save a checkpoint (without evaluating) every this many steps; 0: only at evaluations.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Also save a checkpoint (without evaluating) when this many minutes have passed since the last save; 0: never.</summary>
    public double CheckpointMinutes { get; init; }

    /// <summary>Decay of the weights' moving average that is evaluated and saved; 0 evaluates the weights themselves.</summary>
    public double Ema { get; init; }

    /// <summary>Training images held out and evaluated beside the test set; 0 holds none out.</summary>
    public int ValidationSize { get; init; }
    public ulong Seed { get; init; } = 42;
    public string LearningRateSchedule { get; init; } = "constant";
    public int WarmupSteps { get; init; }
    public bool Augment { get; init; }
    public bool Standardize { get; init; }
    public string Device { get; init; } = "cpu";
    public int Threads { get; init; } = Environment.ProcessorCount;
    public string? Data { get; init; }

    /// <summary>Records in each batch file (null: the official 10,000); smaller CIFAR-10-format sets, e.g. the tests', set it.</summary>
    public int? RecordsPerFile { get; init; }
    public required string Output { get; init; }
    public string? Resume { get; init; }

    /// <summary>The flags given on the command line (not defaults), by name: a resumed run honours
    /// those that may change and refuses the others. Not saved.</summary>
    [JsonIgnore]
    public bool Overwrite { get; init; }

    /// <summary>The flags given on the command line, by name. Not saved.</summary>
    [JsonIgnore]
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TrainConfig>(json, Json) ?? throw new InvalidDataException("config.json is empty.");
}
