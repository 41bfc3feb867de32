using System.Text.Json;
using System.Text.Json.Nodes;
using Grad.Examples.Training;

namespace Grad.Examples.Sweep;

/// <summary>
/// <c>manifest.json</c>: the trainer, the flags every trial shares, the swept flags, and each
/// trial's id and flags. Written once when a sweep starts; a later <c>grad sweep</c> on the folder
/// must expand to the same trials (else it would mix two sweeps in one table).
/// </summary>
public sealed record Manifest(string Trainer, IReadOnlyList<KeyValuePair<string, string>> Fixed, IReadOnlyList<string> Swept, IReadOnlyList<Trial> Trials)
{
    public static Manifest Of(SweepSpec spec) => new(spec.Trainer, spec.Fixed, spec.Swept, spec.Expand());

    /// <summary>Every argument of a trial's training after the trainer's name, but the folder and threads the sweep adds.</summary>
    public IEnumerable<string> Arguments(Trial trial) => SweepSpec.Arguments(Fixed).Concat(trial.Arguments());

    public string ToJson()
    {
        static JsonObject Flags(IEnumerable<KeyValuePair<string, string>> flags) => new(flags.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
        var root = new JsonObject
        {
            ["trainer"] = Trainer,
            ["fixed"] = Flags(Fixed),
            ["swept"] = new JsonArray(Swept.Select(s => (JsonNode?)s).ToArray()),
            ["trials"] = new JsonArray(Trials.Select(t => (JsonNode?)new JsonObject { ["id"] = t.Id, ["flags"] = Flags(t.Flags) }).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public void Write(string path) => MetricsLog.WriteText(path, ToJson());

    public static Manifest Read(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("it is not a JSON object");
            static List<KeyValuePair<string, string>> Flags(JsonNode? node) =>
                (node as JsonObject ?? throw new InvalidDataException("a flags entry is not an object"))
                .Select(f => KeyValuePair.Create(f.Key, f.Value?.GetValue<string>() ?? throw new InvalidDataException($"flag {f.Key} has no value"))).ToList();
            var trials = (root["trials"] as JsonArray ?? throw new InvalidDataException("it has no trials list"))
                .Select((t, i) => t?["id"]?.GetValue<int>() == i ? new Trial(i, Flags(t["flags"])) : throw new InvalidDataException($"trial {i} has the wrong id"))
                .ToList();
            return new Manifest(root["trainer"]?.GetValue<string>() ?? throw new InvalidDataException("it names no trainer"), Flags(root["fixed"]),
                (root["swept"] as JsonArray ?? []).Select(s => s?.GetValue<string>() ?? throw new InvalidDataException("a swept flag is null")).ToList(), trials);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a manifest grad wrote: {e.Message}");
        }
    }

    /// <summary>Same trainer, shared flags and trials.</summary>
    public bool SameSweep(Manifest other) => ToJson() == other.ToJson();
}
