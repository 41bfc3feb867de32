using System.Globalization;

namespace GradTrainer;

/// <summary>The run's settings, from flags like <c>--max_steps 500</c>; saved as the run's config.json.</summary>
public sealed record TrainerOptions
{
    /// <summary>CIFAR-10: a cifar-10-binary.tar.gz, or a folder holding it or its extracted files; null
    /// looks at $GRAD_DATA, then ./data, and downloads the official copy there when a network exists.</summary>
    public string? Data { get; init; }
    public string Output { get; init; } = Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    public int MaxSteps { get; init; } = 1000;
    public int BatchSize { get; init; } = 100;
    public double LearningRate { get; init; } = 1e-3;
    public int HiddenUnits { get; init; } = 256;
    public int EvalFrequency { get; init; } = 250;

    /// <summary>Test images each evaluation scores (the first ones of the test batch): all 10,000, or fewer for quick runs.</summary>
    public int EvalImages { get; init; } = 10_000;
    public ulong Seed { get; init; } = 42;

    public const string Usage = """
        Trains an MLP (3072-H-10, ReLU) on CIFAR-10 with Adam and a one-cycle learning rate.
        Options (defaults in brackets):
          --data PATH           CIFAR-10 tarball or folder [$GRAD_DATA, else ./data; downloaded when missing]
          --out DIR             the run folder [runs/<date-time>]
          --max_steps N         training steps [1000]
          --batch_size N        images per step [100]
          --learning_rate X     the one-cycle schedule's peak [0.001]
          --hidden_units N      width of the hidden layer [256]
          --eval_freq N         evaluate and save every N steps, and at the last [250]
          --eval_images N       test images per evaluation [10000]
          --seed N              weights' and batches' seed [42]
        """;

    public static TrainerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TrainerOptions();
        for (int i = 0; i < args.Count; i += 2)
        {
            string flag = args[i];
            if (i + 1 >= args.Count) throw new ArgumentException($"{flag} needs a value.\n{Usage}");
            string value = args[i + 1];
            options = flag switch
            {
                "--data" => options with { Data = value },
                "--out" => options with { Output = value },
                "--max_steps" => options with { MaxSteps = Positive(flag, value) },
                "--batch_size" => options with { BatchSize = Positive(flag, value) },
                "--learning_rate" => options with { LearningRate = PositiveNumber(flag, value) },
                "--hidden_units" => options with { HiddenUnits = Positive(flag, value) },
                "--eval_freq" => options with { EvalFrequency = Positive(flag, value) },
                "--eval_images" => options with { EvalImages = Positive(flag, value) },
                "--seed" => options with { Seed = ulong.TryParse(value, CultureInfo.InvariantCulture, out var seed) ? seed : throw Invalid(flag, value, "a whole number") },
                _ => throw new ArgumentException($"unknown option '{flag}'.\n{Usage}"),
            };
        }
        return options;
    }

    private static int Positive(string flag, string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw Invalid(flag, value, "a positive whole number");

    private static double PositiveNumber(string flag, string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x) ? x : throw Invalid(flag, value, "a positive number");

    private static ArgumentException Invalid(string flag, string value, string what) => new($"{flag}: '{value}' is not {what}.");
}
