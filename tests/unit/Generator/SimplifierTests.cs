using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>Rewrites that make the backward cheaper without changing its value.</summary>
public class SimplifierTests
{
    [Fact]
    public void Values_spread_to_x_shape_need_no_summing_back_and_fuse()
    {
        // ExpandReduced(s, x.Shape, …) provably has x's shape, so the product's gradient with
        // respect to xc needs no SumTo and joins one fused kernel with its consumers.
        var (diagnostics, sources, errors) = Run(Usings + """
            [Layer]
            public sealed partial record PerChannelScale([Param] Tensor Scale)
            {
                [Forward]
                public Tensor Forward(Tensor x)
                {
                    var xc = x - ExpandReduced(Mean(x, [0, 2, 3]), x.Shape, [0, 2, 3], false);
                    return Exp(xc * ExpandReduced(Scale, x.Shape, [0, 2, 3], false));
                }
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var backward = Method(sources.Single().Value, "public (global::Grad.Tensor dx");
        Assert.DoesNotContain("SumTo(", backward);
        Assert.Contains("Sum(", backward); // the scale's gradient is still reduced over the batch
    }

    [Fact]
    public void A_negation_moves_out_of_a_reduction_onto_its_small_result()
    {
        var (diagnostics, sources, errors) = Run(Usings + """
            [Layer]
            public sealed partial record Centre
            {
                [Forward] public Tensor Forward(Tensor x) => Exp(x - ExpandReduced(Mean(x, [0]), x.Shape, [0], false));
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        var backward = Method(sources.Single().Value, "public (global::Grad.Tensor dx");
        Assert.Contains("-Sum(", backward);
        Assert.DoesNotContain("Sum(-", backward);
    }
}
