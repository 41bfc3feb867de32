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
        Snapshot.Match($"tests/unit/Generator/Snapshots/{layer}.g.cs.txt", Snapshot.Generate($"src/Grad.Core/Layers/{layer}.cs", layer));

    /// <summary>Pages paste generated code between <c>&lt;!-- generated:FILE#LAYER:MEMBER --&gt;</c> and
    /// <c>&lt;!-- /generated --&gt;</c>, where MEMBER is a method's signature start or "*" for the whole file.</summary>
    [Theory]
    [InlineData("docs/derivations.md", 4)]
    [InlineData("docs/declaring-layers.md", 2)]
    public void Pages_show_the_code_that_is_generated(string page, int minimumBlocks)
    {
        var text = Snapshot.SourceOf(page);
        Assert.True(GeneratedBlock().Matches(text).Count >= minimumBlocks, $"{page} should paste at least {minimumBlocks} generated blocks");
        var updated = GeneratedBlock().Replace(text, m =>
        {
            var (file, layer, member) = (m.Groups["file"].Value, m.Groups["layer"].Value, m.Groups["member"].Value);
            var source = Snapshot.Generate(file, layer);
            var code = member == "*" ? source : GeneratorHarness.Method(source, member);
            return $"<!-- generated:{file}#{layer}:{member} -->\n```csharp\n{code}```\n<!-- /generated -->";
        });
        Snapshot.Match(page, updated);
    }

    [GeneratedRegex(@"<!-- generated:(?<file>[^#]+)#(?<layer>\w+):(?<member>[^>]*?) -->\n```csharp\n.*?```\n<!-- /generated -->", RegexOptions.Singleline)]
    private static partial Regex GeneratedBlock();
}
