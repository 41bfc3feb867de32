using System.Text.RegularExpressions;

namespace Grad.Tests.Unit.Generator;

/// <summary>The generator's output for Linear and BatchNorm, pinned as exact text (as Clad pins
/// its derivatives), and the derivations page kept identical to what is generated.</summary>
public partial class SnapshotTests
{
    [Theory]
    [InlineData("Linear")]
    [InlineData("BatchNorm")]
    public void Generated_code_matches_the_snapshot(string layer) =>
        Snapshot.Match($"tests/unit/Generator/Snapshots/{layer}.g.cs.txt", Snapshot.Generate($"src/Grad.Core/Layers/{layer}.cs"));

    [Fact]
    public void The_derivations_page_shows_the_code_that_is_generated()
    {
        const string page = "docs/derivations.md";
        var text = Snapshot.SourceOf(page);
        var blocks = GeneratedBlock().Matches(text);
        Assert.True(blocks.Count >= 4, $"{page} should paste the generated backward of Softmax-CE, ReLU, Linear and BatchNorm");
        var updated = GeneratedBlock().Replace(text, m =>
        {
            var layer = m.Groups["layer"].Value;
            var code = GeneratorHarness.Method(Snapshot.Generate($"src/Grad.Core/Layers/{layer}.cs"), "public (global::Grad.Tensor d");
            return $"<!-- generated:{layer} -->\n```csharp\n{code}```\n<!-- /generated -->";
        });
        Snapshot.Match(page, updated);
    }

    [GeneratedRegex(@"<!-- generated:(?<layer>\w+) -->\n```csharp\n.*?```\n<!-- /generated -->", RegexOptions.Singleline)]
    private static partial Regex GeneratedBlock();
}
