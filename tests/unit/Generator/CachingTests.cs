using Grad.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>The pipeline's models are equatable data: an edit elsewhere in the compilation
/// reuses every layer's parsed model instead of differentiating it again.</summary>
public class CachingTests
{
    private const string Layer = Usings + """
        [Layer]
        public sealed partial record Scale([Param] Tensor S)
        {
            [Forward] public Tensor Forward(Tensor x) => S * x;
        }
        """;

    [Fact]
    public void An_unrelated_edit_hits_the_cache()
    {
        var compilation = Compilation(Layer, "public static class Unrelated { public const int Value = 1; }");
        var driver = Driver().RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("public static class Unrelated { public const int Value = 2; }", (CSharpParseOptions)compilation.SyntaxTrees.First().Options, path: "Layer1.cs"));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps[LayerGenerator.ParseStep];
        var outputs = steps.SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step ran again: {o.Reason}"));
    }

    [Fact]
    public void Editing_the_forward_reruns_it()
    {
        var compilation = Compilation(Layer);
        var driver = Driver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(Layer.Replace("S * x", "S * x + x"), (CSharpParseOptions)compilation.SyntaxTrees.First().Options, path: "Layer0.cs"));
        driver = driver.RunGenerators(edited);
        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[LayerGenerator.ParseStep].SelectMany(s => s.Outputs);
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
