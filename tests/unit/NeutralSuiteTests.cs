using System.Text.RegularExpressions;

namespace Grad.Tests.Unit;

/// <summary>The rules that let tests/neutral run on every backend (tests/README.md), checked on its
/// source: each test class takes the backend from the fixture, and no tensor or layer is made on
/// <see cref="Device.Default"/> or reaches into the CPU backend.</summary>
public partial class NeutralSuiteTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "tests", "neutral"), "*.cs", SearchOption.AllDirectories).Order())
            if (!file.EndsWith("BackendFixture.cs", StringComparison.Ordinal))
                data.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Tensors_and_layers_come_from_the_fixture(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, file));
        bool tests = lines.Any(line => line.Contains("[Fact]") || line.Contains("[Theory]"));
        if (tests)
            Assert.Contains(lines, line => line.Contains("(BackendFixture backend) : IClassFixture<BackendFixture>"));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            bool stray = DefaultFactory().IsMatch(line)
                || (line.Contains("Init.") && !line.Contains("backend: backend.Backend"))
                || (LayerFactory().IsMatch(line) && !line.Contains("backend.On("))
                || line.Contains("Device.") || line.Contains("Grad.Cpu");
            Assert.False(stray, $"{file}:{i + 1} does not go through BackendFixture: {line.Trim()}");
        }
    }

    [GeneratedRegex(@"\bTensor\.(FromArray|FromSpan|Zeros|Ones|Full|Scalar|Arange)\b")]
    private static partial Regex DefaultFactory();

    [GeneratedRegex(@"\b[A-Z]\w*\.Create\(")]
    private static partial Regex LayerFactory();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Grad.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Grad.sln above {AppContext.BaseDirectory}");
    }
}
