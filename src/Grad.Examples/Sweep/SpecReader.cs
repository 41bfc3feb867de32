using System.Globalization;
using System.Text.Json.Nodes;

namespace Grad.Examples.Sweep;

/// <summary>Reads the parts of a sweep file, with errors that name the file and the key at fault.</summary>
public sealed class SpecReader(string source)
{
    public InvalidDataException Error(string key, string problem) =>
        new($"{source}: {(key.Length == 0 ? "the sweep" : $"'{key}'")} {problem}.");

    public void OnlyKeys(JsonObject node, string where, params string[] known)
    {
        foreach (var key in node.Select(p => p.Key).Where(k => !known.Contains(k)))
            throw Error(where.Length == 0 ? key : $"{where}.{key}", $"is not a sweep setting; expected one of {string.Join(", ", known)}");
    }

    /// <summary>The object under <paramref name="key"/>, empty when absent.</summary>
    public IEnumerable<KeyValuePair<string, JsonNode?>> Object(JsonObject parent, string key) => parent[key] switch
    {
        null => [],
        JsonObject o => o,
        _ => throw Error(key, "must be an object of flag → value"),
    };

    /// <summary>A trainer flag's name, written with or without its leading "--".</summary>
    public string FlagName(string name, string where)
    {
        string flag = name.StartsWith("--", StringComparison.Ordinal) ? name : "--" + name;
        if (flag.Length < 3 || flag.Skip(2).Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            throw Error($"{where}.{name}", "is not a flag name");
        return flag;
    }

    /// <summary>A flag's value as the command line spells it: numbers in invariant form, booleans as true/false.</summary>
    public string Value(JsonNode? node, string key) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw Error(key, "must be a string, a number or true/false"),
    };

    /// <summary>A non-empty list of values.</summary>
    public List<string> Values(JsonNode? node, string key) => node is JsonArray { Count: > 0 } list
        ? list.Select((v, i) => Value(v, $"{key}[{i}]")).ToList()
        : throw Error(key, "must be a non-empty list");

    public double Number(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? d : throw Error(key, "must be a number");
}
