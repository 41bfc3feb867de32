using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>
/// <c>attempts.jsonl</c>: a line when an attempt at a trial starts and one when it ends (its exit
/// code and outcome). Lines are appended whole, so a kill leaves at most an attempt without an end.
/// </summary>
public sealed class AttemptLog(string path)
{
    public void Start(string? job) => Append(new JsonObject
    {
        ["event"] = "start",
        ["time"] = Now(),
        ["host"] = Environment.MachineName,
        ["job"] = job,
    });

    public void End(int exitCode, string outcome) => Append(new JsonObject
    {
        ["event"] = "end",
        ["time"] = Now(),
        ["exit_code"] = exitCode,
        ["outcome"] = outcome,
    });

    public IReadOnlyList<Attempt> Read()
    {
        if (!File.Exists(path)) return [];
        var attempts = new List<Attempt>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Length == 0) continue;
            try
            {
                var entry = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException("not a JSON object");
                string Field(string key) => entry[key]?.GetValue<string>() ?? throw new InvalidDataException($"no \"{key}\"");
                switch (Field("event"))
                {
                    case "start":
                        attempts.Add(new Attempt(DateTimeOffset.Parse(Field("time"), CultureInfo.InvariantCulture), Field("host"), entry["job"]?.GetValue<string>(), null, null));
                        break;
                    case "end" when attempts.Count > 0 && attempts[^1].Outcome is null:
                        attempts[^1] = attempts[^1] with { ExitCode = entry["exit_code"]?.GetValue<int>(), Outcome = Field("outcome") };
                        break;
                    default:
                        throw new InvalidDataException("an end without a start");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}, line {line}, is damaged: {e.Message}.");
            }
        }
        return attempts;
    }

    private void Append(JsonObject entry) => File.AppendAllText(path, entry.ToJsonString() + "\n");

    private static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
