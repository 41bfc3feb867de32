using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>
/// The random part of a sweep: <see cref="Count"/> configurations, each flag of <see cref="Space"/>
/// drawn from its distribution by a generator seeded with <see cref="Seed"/>, so the same file
/// always draws the same values. Drawn numbers keep four significant digits (readable flags and
/// table), or are whole numbers with <c>"integer": true</c>.
/// </summary>
public sealed record RandomSearch(int Count, ulong Seed, IReadOnlyList<KeyValuePair<string, Distribution>> Space)
{
    public static RandomSearch Parse(JsonNode node, SpecReader read)
    {
        if (node is not JsonObject random) throw read.Error("random", "must be an object with count, seed and space");
        read.OnlyKeys(random, "random", "count", "seed", "space");
        int count = random["count"] is JsonValue c && c.TryGetValue(out int n) && n >= 1 ? n : throw read.Error("random.count", "must be a whole number ≥ 1");
        ulong seed = random["seed"] switch
        {
            null => 0,
            JsonValue s when s.TryGetValue(out ulong v) => v,
            _ => throw read.Error("random.seed", "must be a whole number ≥ 0"),
        };
        var space = read.Object(random, "space").Select(p => KeyValuePair.Create(read.FlagName(p.Key, "random.space"),
            Distribution.Parse(p.Value, $"random.space.{p.Key}", read))).ToList();
        if (space.Count == 0) throw read.Error("random.space", "must name at least one flag to draw");
        return new RandomSearch(count, seed, space);
    }

    /// <summary>The <see cref="Count"/> configurations, flag by flag in the file's order.</summary>
    public List<IReadOnlyList<KeyValuePair<string, string>>> Draw()
    {
        var generator = new SplitMix64(Seed);
        return Enumerable.Range(0, Count)
            .Select(_ => (IReadOnlyList<KeyValuePair<string, string>>)Space.Select(p => KeyValuePair.Create(p.Key, p.Value.Draw(generator))).ToList())
            .ToList();
    }
}
