using System.Text.Json;

namespace Grad.Tests.Oracle;

/// <summary>Reads a case's tensors and compares Grad's results with them, collecting every
/// mismatch; <see cref="Finish"/> fails with all of them, and also if any tensor in the case
/// was neither used as an input nor compared. Inputs are made on the backend under test.</summary>
internal sealed class OracleChecker(OracleCase c, string layer, BackendFixture backend)
{
    /// <summary>|expected − actual| ≤ tolerance · max(|expected|, largest |expected| in that tensor).</summary>
    private const double RelativeTolerance = 1e-10;

    private readonly HashSet<string> _used = [];
    private readonly List<string> _failures = [];

    public OracleCase Case { get; } = c;

    public Tensor Input(string name)
    {
        _used.Add(name);
        return Get(name).ToTensor(backend);
    }

    public int Config(string name) => ConfigValue(name).GetInt32();

    public double ConfigDouble(string name) => ConfigValue(name).GetDouble();

    public string ConfigText(string name) => ConfigValue(name).GetString()!;

    public string[] ConfigTexts(string name) => ConfigValue(name).EnumerateArray().Select(v => v.GetString()!).ToArray();

    private JsonElement ConfigValue(string name) => Case.Config.TryGetValue(name, out var v)
        ? v
        : throw new InvalidOperationException($"case {Case.Name}: no config value {name}");

    public void Compare(string name, Tensor actual, string? how = null)
    {
        _used.Add(name);
        var expected = Get(name);
        string label = $"case {Case.Name} ({layer}), tensor {name}{(how is null ? "" : $" [{how}]")}";
        if (!expected.Shape.SequenceEqual(actual.Shape.Dims.ToArray()))
        {
            _failures.Add($"{label}: shape: PyTorch ({string.Join(", ", expected.Shape)}), Grad {actual.Shape}");
            return;
        }
        Assert.Equal(DType.Float64, actual.DType);
        var got = actual.ToArray<double>();
        double scale = expected.Data.Length == 0 ? 0 : expected.Data.Max(Math.Abs);
        int bad = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double e = expected.Data[i], a = got[i];
            double allowed = RelativeTolerance * Math.Max(Math.Abs(e), scale);
            if (Math.Abs(e - a) <= allowed) continue; // NaN never passes
            if (bad++ < 5)
                _failures.Add($"{label}: index {i} ({string.Join(", ", TestTensors.Unravel(i, expected.Shape))}): " +
                    $"PyTorch {e:R}, Grad {a:R}, |diff| {Math.Abs(e - a):G3} > {allowed:G3}");
        }
        if (bad > 5) _failures.Add($"{label}: … {bad} mismatching entries of {got.Length} in all");
    }

    public void Finish()
    {
        var unchecked_ = Case.Tensors.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unchecked_.Count > 0)
            _failures.Add($"case {Case.Name}: reference tensors neither used nor compared: {string.Join(", ", unchecked_)}");
        Assert.True(_failures.Count == 0, "Grad differs from PyTorch:\n" + string.Join("\n", _failures));
    }

    private OracleTensor Get(string name) => Case.Tensors.TryGetValue(name, out var t)
        ? t
        : throw new InvalidOperationException($"case {Case.Name}: the reference has no tensor {name}");
}
