using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Examples.Training;
using Grad.Serialization;

namespace Grad.Examples.Sweep;

/// <summary>
/// <c>result.json</c>: a finished trial's figures, taken from its metrics when its training ended.
/// Written once, atomically (a temporary file renamed into place only if no result is there yet),
/// so a trial is either finished with a whole result or not finished at all.
/// </summary>
public sealed record TrialResult(int Id, int Steps, double FinalTestAccuracy, double BestTestAccuracy, int BestStep, double WallSeconds, DateTimeOffset Finished)
{
    /// <summary>The result of a run whose metrics reach its last step.</summary>
    public static TrialResult From(int id, IReadOnlyList<EvalPoint> points)
    {
        var best = points.MaxBy(p => p.TestAccuracy)!;
        var last = points[^1];
        return new TrialResult(id, last.Step, last.TestAccuracy, best.TestAccuracy, best.Step, last.WallSeconds, DateTimeOffset.UtcNow);
    }

    public string ToJson() => new JsonObject
    {
        ["id"] = Id,
        ["state"] = "finished",
        ["steps"] = Steps,
        ["final_test_accuracy"] = MetricsLog.Node(FinalTestAccuracy),
        ["best_test_accuracy"] = MetricsLog.Node(BestTestAccuracy),
        ["best_step"] = BestStep,
        ["wall_seconds"] = MetricsLog.Node(WallSeconds),
        ["finished"] = Finished.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Publishes the result unless one is there already; false when one was.</summary>
    public bool WriteOnce(string path)
    {
        if (File.Exists(path)) return false;
        string temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        MetricsLog.WriteText(temporary, ToJson());
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    /// <summary>The result in <paramref name="path"/>; null when there is none; an
    /// <see cref="InvalidDataException"/> naming the file when it is damaged.</summary>
    public static TrialResult? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            if (root["state"]?.GetValue<string>() != "finished") throw new InvalidDataException("its state is not \"finished\"");
            JsonNode Field(string key) => root[key] ?? throw new InvalidDataException($"it has no \"{key}\"");
            double Number(string key) => root[key]?.GetValue<double>() ?? double.NaN; // JSON's null: a diverged value
            return new TrialResult(Field("id").GetValue<int>(), Field("steps").GetValue<int>(), Number("final_test_accuracy"),
                Number("best_test_accuracy"), Field("best_step").GetValue<int>(), Number("wall_seconds"),
                DateTimeOffset.Parse(Field("finished").GetValue<string>(), CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is damaged ({e.Message}); delete it to train the trial again.");
        }
    }
}
