using System.Globalization;
using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>How one flag of a random search is drawn.</summary>
public abstract record Distribution
{
    public abstract string Draw(SplitMix64 generator);

    public static Distribution Parse(JsonNode? node, string key, SpecReader read)
    {
        if (node is not JsonObject spec) throw read.Error(key, "must be {\"uniform\": [low, high]}, {\"log_uniform\": [low, high]} or {\"choice\": [values]}");
        read.OnlyKeys(spec, key, "uniform", "log_uniform", "choice", "integer");
        bool integer = spec["integer"] is JsonValue i && i.TryGetValue(out bool b) && b;
        if (spec["choice"] is { } choice) return new Choice(read.Values(choice, $"{key}.choice"));
        bool log = spec["log_uniform"] is not null;
        string kind = log ? "log_uniform" : "uniform";
        if (spec[kind] is not JsonArray { Count: 2 } range) throw read.Error($"{key}.{kind}", "must be a list [low, high]");
        double low = read.Number(range[0], $"{key}.{kind}[0]"), high = read.Number(range[1], $"{key}.{kind}[1]");
        if (!(low < high) || (log && low <= 0)) throw read.Error($"{key}.{kind}", $"must have low < high{(log ? ", both positive" : "")}");
        return new Range(low, high, log, integer);
    }

    /// <summary>Uniform on [low, high), or on [log low, log high) when <paramref name="Log"/>.</summary>
    public sealed record Range(double Low, double High, bool Log, bool Integer) : Distribution
    {
        public override string Draw(SplitMix64 generator)
        {
            double u = generator.NextDouble();
            double value = Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);
            return Integer
                ? Math.Round(value).ToString("R", CultureInfo.InvariantCulture)
                : double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        }
    }

    public sealed record Choice(IReadOnlyList<string> Values) : Distribution
    {
        public override string Draw(SplitMix64 generator) => Values[(int)(generator.Next() % (ulong)Values.Count)];
    }
}
