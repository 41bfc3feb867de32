using System.Text.RegularExpressions;
using Grad.Tests.Packaging.Support;

namespace Grad.Tests.Packaging;

/// <summary><c>dotnet new grad-layer</c>: the library and its test project, restored offline, built
/// with warnings as errors, and its tests run (the declared layer's generated backward against
/// finite differences, and its forward).</summary>
public sealed partial class LayerTemplateTests
{
    [Fact]
    public void The_layer_template_builds_and_its_GradCheck_test_passes()
    {
        var test = DotNet.Run(PackagedGrad.Shared.LayerProject, "test", "MyLayers.Tests", "-warnaserror").EnsureSucceeded();
        var summary = TestSummary().Match(test.Output);
        Assert.True(summary.Success, $"no test summary in:\n{test.Output}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.Equal("2", summary.Groups["passed"].Value);
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();
}
