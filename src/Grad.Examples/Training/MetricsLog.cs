using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Serialization;

namespace Grad.Examples.Training;

/// <summary>One evaluation point of a run.</summary>
public sealed record EvalPoint(int Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double WallSeconds);

/// <summary>
/// Writes a run's metrics as it goes: <c>metrics.csv</c> (a row per evaluation) and
/// <c>metrics.json</c> (all points, then <c>final_test_accuracy</c>), each rewritten atomically so
/// a run killed at any moment leaves readable files.
/// </summary>
public sealed class MetricsLog(string directory)
{
    private readonly List<EvalPoint> _points = [];

    public IReadOnlyList<EvalPoint> Points => _points;

    /// <summary>Continues a resumed run's log: the points recorded before <paramref name="step"/>.</summary>
    public void Restore(IEnumerable<EvalPoint> earlier, int step) => _points.AddRange(earlier.Where(p => p.Step <= step));

    public void Add(EvalPoint point)
    {
        _points.Add(point);
        WriteText(Path.Combine(directory, "metrics.csv"), Csv());
        WriteText(Path.Combine(directory, "metrics.json"), Json());
    }

    public static IReadOnlyList<EvalPoint> Read(string directory)
    {
        var path = Path.Combine(directory, "metrics.json");
        if (!File.Exists(path)) return [];
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        return node["points"]!.AsArray().Select(p => new EvalPoint(
            (int)p!["step"]!, Number(p["train_loss"]), Number(p["train_accuracy"]),
            Number(p["test_loss"]), Number(p["test_accuracy"]), Number(p["wall_seconds"]))).ToList();
    }

    private string Csv()
    {
        var lines = new List<string> { "step,train_loss,train_accuracy,test_loss,test_accuracy,wall_seconds" };
        lines.AddRange(_points.Select(p => string.Join(",",
            p.Step.ToString(CultureInfo.InvariantCulture), F(p.TrainLoss), F(p.TrainAccuracy), F(p.TestLoss), F(p.TestAccuracy), F(p.WallSeconds))));
        return string.Join("\n", lines) + "\n";
    }

    private string Json()
    {
        var points = new JsonArray(_points.Select(p => (JsonNode)new JsonObject
        {
            ["step"] = p.Step,
            ["train_loss"] = Node(p.TrainLoss),
            ["train_accuracy"] = Node(p.TrainAccuracy),
            ["test_loss"] = Node(p.TestLoss),
            ["test_accuracy"] = Node(p.TestAccuracy),
            ["wall_seconds"] = Node(p.WallSeconds),
        }).ToArray());
        var root = new JsonObject
        {
            ["points"] = points,
            ["final_test_accuracy"] = _points.Count == 0 ? null : Node(_points[^1].TestAccuracy),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Temp file then rename: readers never see half a file.</summary>
    public static void WriteText(string path, string text) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>JSON has no NaN or infinity: a diverged value is written as null.</summary>
    public static JsonNode? Node(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static double Number(JsonNode? node) => node is null ? double.NaN : (double)node;

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
