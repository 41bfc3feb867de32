using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>The same computation is emitted once, in the forward and in the backward.</summary>
public class CommonSubexpressionTests
{
    [Fact]
    public void A_repeated_forward_call_is_computed_once()
    {
        var (diagnostics, sources, errors) = Run(Usings + """
            [Layer]
            public sealed partial record Twice([Param] Tensor W)
            {
                [Forward] public Tensor Forward(Tensor x) => Exp(x * W) + Exp(x * W);
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var train = Method(sources.Single().Value, "public (global::Grad.Tensor Output, Tape Tape");
        var code = WithoutComments(train);
        Assert.True(Count(code, "Fused(") == 1 && code.Contains("t2 + t2"), train); // one exp(x·W), added to itself
    }

    [Fact]
    public void A_repeated_backward_term_is_computed_once()
    {
        // This rule repeats g·exp(x); the backward must compute it once.
        var (diagnostics, sources, errors) = Run(Usings + """
            public static class Rules
            {
                [Primitive, Derivative("x", "g * Exp(x) + g * Exp(x) * x")]
                public static Tensor ExpTimes(Tensor x) => x * Exp(x);
            }

            [Layer]
            public sealed partial record UsesIt
            {
                [Forward] public Tensor Forward(Tensor x) => Rules.ExpTimes(x);
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var backward = Method(sources.Single().Value, "public (global::Grad.Tensor dx");
        var code = WithoutComments(backward);
        Assert.True(Count(code, "using var common = ") == 1 && code.Contains("[common, tape.x]"), backward); // g·exp(x) once, then reused
    }

    private static string WithoutComments(string code) =>
        string.Join("\n", code.Split('\n').Select(line => line.Contains("//") ? line[..line.IndexOf("//", StringComparison.Ordinal)] : line));

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
