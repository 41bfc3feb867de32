using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Serialization;

namespace Grad.Examples.Training;

/// <summary>One evaluation point of a run; the validation figures are NaN when no images are held out.</summary>
public sealed record EvalPoint(int Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double WallSeconds,
    double ValidationLoss = double.NaN, double ValidationAccuracy = double.NaN)
{
    public bool HasValidation => !double.IsNaN(ValidationAccuracy);
}

/// <summary>
/// Writes a run's metrics as it goes: <c>metrics.csv</c> (a row per evaluation) and
/// <c>metrics.json</c> (all points, then <c>final_test_accuracy</c>), each rewritten atomically so
/// a run killed at any moment leaves readable files. A run with a validation split has two more
/// columns, <c>validation_loss</c> and <c>validation_accuracy</c>; a run that averages its weights
/// ends its JSON with <c>final_last_weights_test_accuracy</c> before <c>final_test_accuracy</c>.
/// </summary>
public sealed class MetricsLog(string directory)
{
    private readonly List<EvalPoint> _points = [];
    private double? _lastWeightsTestAccuracy;

    public IReadOnlyList<EvalPoint> Points => _points;

    /// <summary>Continues a resumed run's log: the points recorded before <paramref name="step"/>.</summary>
    public void Restore(IEnumerable<EvalPoint> earlier, int step) => _points.AddRange(earlier.Where(p => p.Step <= step));

    public void Add(EvalPoint point)
    {
        _points.Add(point);
        Write();
    }

    /// <summary>Writes both files with the points so far.</summary>
    public void Write()
    {
        WriteText(Path.Combine(directory, "metrics.csv"), Csv());
        WriteText(Path.Combine(directory, "metrics.json"), Json());
    }

    /// <summary>The final test accuracy of the last weights, where the points are of their average.</summary>
    public void SetLastWeightsTestAccuracy(double accuracy)
    {
        _lastWeightsTestAccuracy = accuracy;
        WriteText(Path.Combine(directory, "metrics.json"), Json());
    }

    public static IReadOnlyList<EvalPoint> Read(string directory)
    {
        var path = Path.Combine(directory, "metrics.json");
        if (!File.Exists(path)) return [];
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject { } root || root["points"] is not JsonArray points)
                throw new InvalidDataException("it has no \"points\" list");
            return points.Select(p => p is JsonObject { } point && point["step"] is JsonValue step && step.TryGetValue(out int s) && s >= 0
                ? new EvalPoint(s, Number(point["train_loss"]), Number(point["train_accuracy"]),
                    Number(point["test_loss"]), Number(point["test_accuracy"]), Number(point["wall_seconds"]),
                    Number(point["validation_loss"]), Number(point["validation_accuracy"]))
                : throw new InvalidDataException($"the point {p?.ToJsonString() ?? "null"} has no whole-number \"step\"")).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a metrics file grad wrote: {e.Message}. Fix it, or delete it to resume without the earlier points.");
        }
    }

    private bool HasValidation => _points.Any(p => p.HasValidation);

    private string Csv()
    {
        string header = "step,train_loss,train_accuracy,test_loss,test_accuracy,wall_seconds";
        var lines = new List<string> { HasValidation ? header + ",validation_loss,validation_accuracy" : header };
        lines.AddRange(_points.Select(p =>
        {
            string row = string.Join(",",
                p.Step.ToString(CultureInfo.InvariantCulture), F(p.TrainLoss), F(p.TrainAccuracy), F(p.TestLoss), F(p.TestAccuracy), F(p.WallSeconds));
            return HasValidation ? $"{row},{F(p.ValidationLoss)},{F(p.ValidationAccuracy)}" : row;
        }));
        return string.Join("\n", lines) + "\n";
    }

    private string Json()
    {
        var points = new JsonArray(_points.Select(p => (JsonNode)ToJson(p)).ToArray());
        var root = new JsonObject { ["points"] = points };
        if (_lastWeightsTestAccuracy is { } lastWeights) root["final_last_weights_test_accuracy"] = Node(lastWeights);
        root["final_test_accuracy"] = _points.Count == 0 ? null : Node(_points[^1].TestAccuracy);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>One point as the JSON object that metrics.json and the machine-readable log hold.</summary>
    public static JsonObject ToJson(EvalPoint p)
    {
        var point = new JsonObject
        {
            ["step"] = p.Step,
            ["train_loss"] = Node(p.TrainLoss),
            ["train_accuracy"] = Node(p.TrainAccuracy),
            ["test_loss"] = Node(p.TestLoss),
            ["test_accuracy"] = Node(p.TestAccuracy),
            ["wall_seconds"] = Node(p.WallSeconds),
        };
        if (p.HasValidation)
        {
            point["validation_loss"] = Node(p.ValidationLoss);
            point["validation_accuracy"] = Node(p.ValidationAccuracy);
        }
        return point;
    }

    /// <summary>Temp file then rename: readers never see half a file.</summary>
    public static void WriteText(string path, string text) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>JSON has no NaN or infinity: a diverged value is written as null.</summary>
    public static JsonNode? Node(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static double Number(JsonNode? node) =>
        node is null ? double.NaN
        : node is JsonValue value && value.TryGetValue(out double number) ? number
        : throw new InvalidDataException($"{node.ToJsonString()} is not a number");

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
