using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grad.Tests.Oracle;

/// <summary>One tensor of the reference file: its shape and its values in row-major order.</summary>
internal sealed record OracleTensor(int[] Shape, double[] Data)
{
    public Tensor ToTensor(BackendFixture backend) => backend.FromArray(Data, Shape);
}

/// <summary>One case: a PyTorch module run on fixed inputs, with everything it produced.</summary>
internal sealed record OracleCase(
    string Name,
    string Layer,
    Dictionary<string, JsonElement> Config,
    int[]? Labels,
    Dictionary<string, OracleTensor> Tensors);

internal sealed record OracleFile(
    [property: JsonPropertyName("torch_version")] string TorchVersion,
    [property: JsonPropertyName("dtype")] string DType,
    List<OracleCase> Cases);

/// <summary>Loads tests/neutral/Oracle/pytorch_reference.json, which each backend's test project
/// copies next to its assembly as Oracle/pytorch_reference.json.</summary>
internal static class OracleReference
{
    public const string FileName = "pytorch_reference.json";

    private static readonly Lazy<OracleFile> Loaded = new(Load);

    public static OracleFile Value => Loaded.Value;

    public static OracleCase Find(string name) =>
        Value.Cases.SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"{FileName} has no case named {name}");

    private static OracleFile Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Oracle", FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"the PyTorch reference is missing next to the test assembly; regenerate it with tests/oracle/make_reference.py", path);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<OracleFile>(stream, options)
            ?? throw new InvalidDataException($"{path}: empty");
        foreach (var c in file.Cases)
            foreach (var (name, t) in c.Tensors)
                if (t.Data.Length != t.Shape.Aggregate(1, (a, b) => a * b))
                    throw new InvalidDataException($"{path}: case {c.Name}, tensor {name}: {t.Data.Length} values for shape ({string.Join(", ", t.Shape)})");
        return file;
    }
}
