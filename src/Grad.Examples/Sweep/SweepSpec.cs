using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>
/// A sweep file: the trainer, the flags every trial shares, and the search space: a grid (every
/// combination of the listed values), random draws (a count of configurations drawn from uniform,
/// log-uniform or choice distributions with a seed) and seeds. The trials are every grid point ×
/// every draw × every seed (docs/cluster.md).
/// </summary>
public sealed record SweepSpec(
    string Trainer,
    IReadOnlyList<KeyValuePair<string, string>> Fixed,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Grid,
    RandomSearch? Random,
    IReadOnlyList<string> Seeds)
{
    public static readonly string[] Trainers = ["mlp-numpy", "mlp", "convnet"];

    /// <summary>Flags the sweep itself sets for each trial; a sweep file may not.</summary>
    private static readonly string[] Reserved = ["--out", "--resume", "--threads", "--overwrite"];

    /// <summary>The flags that differ between trials, in the order of the file: what the table and plots show.</summary>
    public IReadOnlyList<string> Swept =>
    [
        .. Grid.Select(g => g.Key), .. Random?.Space.Select(s => s.Key) ?? [], .. Seeds.Count > 1 ? ["--seed"] : Array.Empty<string>(),
    ];

    public static SweepSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"sweep file {path} does not exist.");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}");
        }
        return Parse(root, path);
    }

    /// <summary>Reads a sweep from its JSON; errors name <paramref name="source"/> and the key at fault.</summary>
    public static SweepSpec Parse(JsonNode? root, string source)
    {
        var read = new SpecReader(source);
        if (root is not JsonObject spec) throw read.Error("", "must be a JSON object");
        read.OnlyKeys(spec, "", "trainer", "flags", "grid", "random", "seeds");
        string trainer = spec["trainer"] is JsonValue t && t.TryGetValue(out string? name) ? name : throw read.Error("trainer", $"must name the trainer: {string.Join(", ", Trainers)}");
        if (!Trainers.Contains(trainer)) throw read.Error("trainer", $"'{trainer}' is not a trainer; use {string.Join(", ", Trainers)}");

        var fixedFlags = read.Object(spec, "flags").Select(f => KeyValuePair.Create(read.FlagName(f.Key, "flags"), read.Value(f.Value, $"flags.{f.Key}"))).ToList();
        var grid = read.Object(spec, "grid").Select(g => KeyValuePair.Create(read.FlagName(g.Key, "grid"),
            (IReadOnlyList<string>)read.Values(g.Value, $"grid.{g.Key}"))).ToList();
        var random = spec["random"] is { } r ? RandomSearch.Parse(r, read) : null;
        var seeds = spec["seeds"] is { } s ? read.Values(s, "seeds") : [];
        foreach (var seed in seeds)
            if (!ulong.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw read.Error("seeds", $"'{seed}' is not a whole number ≥ 0");

        var all = fixedFlags.Select(f => (f.Key, "flags")).Concat(grid.Select(g => (g.Key, "grid")))
            .Concat(random?.Space.Select(d => (d.Key, "random.space")) ?? []).Concat(seeds.Count > 0 ? [("--seed", "seeds")] : Array.Empty<(string, string)>()).ToList();
        foreach (var group in all.GroupBy(f => f.Item1).Where(g => g.Count() > 1))
            throw read.Error(string.Join(" and ", group.Select(g => g.Item2)), $"{group.Key} is set in more than one place");
        foreach (var (flag, where) in all.Where(f => Reserved.Contains(f.Item1)))
            throw read.Error(where, $"{flag} is set by `grad sweep` for each trial (its own folder, its threads); leave it out");
        return new SweepSpec(trainer, fixedFlags, grid, random, seeds);
    }

    /// <summary>Every trial, numbered from 0: grid points (the first key varies slowest), then
    /// random draws, then seeds. The same file always gives the same trials.</summary>
    public IReadOnlyList<Trial> Expand()
    {
        IEnumerable<List<KeyValuePair<string, string>>> points = [[]];
        foreach (var (flag, values) in Grid)
            points = points.SelectMany(p => values.Select(v => new List<KeyValuePair<string, string>>(p) { KeyValuePair.Create(flag, v) })).ToList();
        var draws = Random?.Draw() ?? [[]];
        var seeds = Seeds.Count > 0 ? Seeds.Select(s => (IReadOnlyList<KeyValuePair<string, string>>)[KeyValuePair.Create("--seed", s)]).ToList() : [[]];
        return points.SelectMany(p => draws.SelectMany(d => seeds.Select(s => p.Concat(d).Concat(s).ToList())))
            .Select((flags, id) => new Trial(id, flags)).ToList();
    }

    /// <summary>Flags as arguments: "--flag value", a "true" switch as "--flag" alone, a "false" one left out.</summary>
    public static IEnumerable<string> Arguments(IEnumerable<KeyValuePair<string, string>> flags) => flags.SelectMany(f => f.Value switch
    {
        "true" => [f.Key],
        "false" => Array.Empty<string>(),
        _ => [f.Key, f.Value],
    });
}
