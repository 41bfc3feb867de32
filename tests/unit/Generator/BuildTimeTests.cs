using System.Diagnostics;
using System.Text;
using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>The generator's time grows about linearly with the size of a forward (issue 13,
/// item 6: 1000 operations once took 82–100 s, 200 took 7 s).</summary>
public class BuildTimeTests
{
    /// <summary>A forward of <paramref name="operations"/> chained and branching operations that
    /// mixes element-wise calls (fused), reductions, MatMul and repeated terms (CSE).</summary>
    internal static string Forward(int operations)
    {
        var body = new StringBuilder();
        body.Append("        var t1 = Tanh(x) * W;\n");
        for (int i = 2; i <= operations; i++)
        {
            string p = "t" + (i - 1), q = "t" + Math.Max(1, i - 3);
            body.Append($"        var t{i} = ").Append((i % 6) switch
            {
                0 => $"{p} + Sigmoid({q})",
                1 => $"Tanh({p}) * W",
                2 => $"MatMul({p}, M)",
                3 => $"{p} - Mean({p}, 1, true)",
                4 => $"Exp({p} * 0.1) + Exp({p} * 0.1) * {q}",
                _ => $"{p} * Sum({q}, 0, true) + b",
            }).Append(";\n");
        }
        return Usings + $$"""
            [Layer]
            public sealed partial record Big([Param] Tensor W, [Param] Tensor M, [Param] Tensor b)
            {
                [Forward] public Tensor Forward(Tensor x)
                {
            {{body}}        return t{{operations}};
                }
            }
            """;
    }

    [Fact]
    public void A_forward_of_a_thousand_operations_builds_in_seconds()
    {
        var compilation = Compilation(Forward(1000));
        var clock = Stopwatch.StartNew();
        var result = Driver().RunGenerators(compilation).GetRunResult();
        clock.Stop();
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedTrees);
        // A guard against a return to quadratic behaviour, not a benchmark: it takes about
        // 3 s on a 2-core machine (it took 82–100 s before).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"1000 operations took {clock.Elapsed.TotalSeconds:F1} s");
    }
}
