using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Layers;
using Grad.Optim;
using Grad.Serialization;

namespace GradTrainer;

/// <summary>One evaluation: the training figures are over the steps since the previous one.</summary>
public sealed record MetricsPoint(long Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double WallSeconds);

/// <summary>
/// The run's folder, in the layout the <c>grad</c> program writes: <c>config.json</c> (the options),
/// <c>metrics.json</c> (every evaluation, then <c>final_test_accuracy</c>), <c>checkpoint.safetensors</c>
/// (parameters, optimiser state and step, for <see cref="Checkpoint.Load{TModel}"/>) and
/// <c>model.safetensors</c> (the parameters alone, for any safetensors reader). Each file is
/// replaced atomically, so a run stopped at any moment leaves readable files.
/// </summary>
public sealed class RunFolder
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly List<MetricsPoint> _points = [];

    public RunFolder(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new IOException($"the run folder {Path} is not empty; give another --out.");
    }

    public string Path { get; }

    public void SaveConfig(TrainerOptions options)
    {
        Directory.CreateDirectory(Path);
        WriteText("config.json", JsonSerializer.Serialize(options, Json));
    }

    /// <summary>Adds the evaluation to metrics.json and saves the checkpoint and the model.</summary>
    public void Save(Sequential model, OptimizerState state, MetricsPoint point, TrainerOptions options)
    {
        _points.Add(point);
        var metrics = new JsonObject
        {
            ["points"] = new JsonArray(_points.Select(p => JsonSerializer.SerializeToNode(p, Json)).ToArray()),
            ["final_test_accuracy"] = point.TestAccuracy,
        };
        WriteText("metrics.json", metrics.ToJsonString(Json));
        var metadata = new Dictionary<string, string>
        {
            ["step"] = point.Step.ToString(CultureInfo.InvariantCulture),
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        };
        Checkpoint.Save(File("checkpoint.safetensors"), model, state, metadata);
        ModelTensors.Save(File("model.safetensors"), model, metadata);
    }

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private void WriteText(string name, string text) => AtomicFile.Write(File(name), stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });
}
