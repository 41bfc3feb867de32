using Grad.Layers;
using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>The generator knows a primitive by the facts its attribute declares (kind, shape
/// rule, role, rewrites), never by its name: a user's own primitives, under names the generator
/// has never seen, get the treatment Grad.Ops's get.</summary>
public class OpFactsTests
{
    private const string UserOps = Usings + """
        public static class MyOps
        {
            [Primitive(Kind = PrimitiveKind.View), Derivative("x", "Flip(g)"), Rewrite("Flip(Flip(x))", "x")]
            public static Tensor Flip(Tensor x) => x.T;

            [Primitive, Derivative("x", "Flip(Flip(g))")]
            public static Tensor Copy(Tensor x) => x.Alias();

            [Primitive(Shape = "x"), Derivative("x", "g * 0.5")]
            public static Tensor Smooth(Tensor x) => x * 0.5;

            [Primitive(Kind = PrimitiveKind.Reduction, Shape = "Reduced(x, axes, keepDims)", Linear = true)]
            [Derivative("x", "ExpandReduced(g, x.Shape, axes, keepDims)")]
            public static Tensor Total(Tensor x, int[] axes, bool keepDims) => Sum(x, axes, keepDims);

            [Primitive(Kind = PrimitiveKind.StateUpdate, Update = nameof(NextFollowed), Shape = "value"), Derivative("value", "g")]
            public static Tensor Follow([NonDifferentiable] Tensor state, Tensor value) => value.Alias();

            public static Tensor NextFollowed(Tensor state, Tensor value) => (state + value) * 0.5;
        }

        """;

    private static string Generated(string layer)
    {
        var (diagnostics, sources, errors) = Run(UserOps + layer);
        Assert.Empty(diagnostics);
        Assert.Empty(errors);
        return sources.Single().Value;
    }

    private static string BackwardOf(string layer) => Method(Generated(layer), "public (global::Grad.Tensor dx");

    [Fact]
    public void A_declared_view_of_a_parameter_is_recomputed_not_kept()
    {
        var code = Generated("""
            [Layer]
            public sealed partial record Flipped([Param] Tensor W)
            {
                [Forward] public Tensor Forward(Tensor x) => x * MyOps.Flip(W);
            }
            """);
        var tape = Method(code, "public sealed class Tape");
        Assert.DoesNotContain("internal global::Grad.Tensor t1", tape);
        Assert.Contains("Flip(W)", Method(code, "public (global::Grad.Tensor dx"));
    }

    [Fact]
    public void A_declared_rewrite_applies_to_backward_code()
    {
        var backward = BackwardOf("""
            [Layer]
            public sealed partial record Copied
            {
                [Forward] public Tensor Forward(Tensor x) => MyOps.Copy(x);
            }
            """);
        Assert.DoesNotContain("Flip(", backward); // Flip(Flip(g)) = g
        Assert.Contains("var dx = scope.Keep(g.Alias());", backward);
    }

    /// <summary>Smooth(x) declares x's shape, so the product broadcasts nothing; x − Total(x, [0],
    /// keepDims) has x's shape, so only the reduced operand's gradient is summed back, and the
    /// negation moves out of that (linear) sum onto its small result.</summary>
    [Theory]
    [InlineData("MyOps.Smooth(x) * x", 0, "")]
    [InlineData("Exp(x - MyOps.Total(x, [0], true))", 1, "-SumTo(")]
    public void Declared_shapes_drop_the_sums_that_have_nothing_to_sum(string forward, int sums, string shows)
    {
        var backward = BackwardOf("[Layer] public sealed partial record Shaped { [Forward] public Tensor Forward(Tensor x) => " + forward + "; }");
        Assert.True(Count(backward, "SumTo(") == sums, backward);
        Assert.Contains(shows, backward);
    }

    [Fact]
    public void A_declared_state_update_is_tracked_in_training_and_read_in_eval()
    {
        var code = Generated("""
            [Layer]
            public sealed partial record Follower([State] Tensor S)
            {
                [Forward] public Tensor Forward(Tensor x) => x * MyOps.Follow(S, Mean(x, axis: 0));
            }
            """);
        var train = Method(code, "public (global::Grad.Tensor Output, Tape Tape");
        Assert.Contains("var nextS = scope.Detach(NextFollowed(S, t1));", train);
        Assert.Contains("this with { S = nextS }", train);
        var eval = Method(code, "public global::Grad.Tensor Eval");
        Assert.Contains("x * S", eval);
        Assert.DoesNotContain("= Mean(", eval);
    }

    [Fact]
    public void Products_of_operands_of_equal_shapes_have_equal_shapes()
    {
        // Exp(x) has x's shape, so both products have one shape and the sum broadcasts nothing.
        var code = Generated("""
            [Layer]
            public sealed partial record TwoProducts([Param] Tensor W)
            {
                [Forward] public Tensor Forward(Tensor x) => MatMul(Exp(x), W) + MatMul(x, W);
            }
            """);
        var backward = Method(code, "public (global::Grad.Tensor dx");
        Assert.DoesNotContain("SumTo(g,", backward);
        Assert.DoesNotContain("global::Grad.Shape", Method(code, "public sealed class Tape")); // no shapes kept for sums
    }

    [Fact]
    public void An_input_nothing_flows_into_gets_zeros_of_its_shape()
    {
        var (diagnostics, sources, errors) = Run(Usings + """
            [Layer]
            public sealed partial record Ignores([Param] Tensor W, [Param] Tensor Unused)
            {
                [Forward] public Tensor Forward(Tensor x, Tensor y) => x * W;
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Empty(errors); // Zeros(…) resolves to a primitive that exists
        var backward = Method(sources.Single().Value, "public (global::Grad.Tensor dx");
        Assert.Contains("var dy = scope.Keep(Zeros(tape.yShape, g));", backward);
        Assert.Contains("var dUnused = scope.Keep(Zeros(Unused.Shape, g));", backward);
    }

    [Fact]
    public void A_rewrite_that_does_not_parse_is_reported()
    {
        var (diagnostics, sources, _) = Run(Usings + """
            public static class Odd
            {
                [Primitive, Derivative("x", "g"), Rewrite("Same(Same(x)", "x")]
                public static Tensor Same(Tensor x) => x.Alias();
            }

            [Layer] public sealed partial record UsesSame { [Forward] public Tensor Forward(Tensor x) => Odd.Same(x); }
            """);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("GRAD010", diagnostic.Id);
        Assert.Contains("Same(Same(x)", diagnostic.GetMessage());
        Assert.Empty(sources);
    }

    /// <summary>Linear's dW keeps its sum back to W's shape: a batch of sequences (B, T, in) is a
    /// valid input, and then the product gᵀ·x has a batch axis that the sum removes. MatMul's
    /// shape rule cannot drop it without knowing x is a matrix, and it does not.</summary>
    [Fact]
    public void Linear_sums_the_weight_gradient_over_leading_batch_axes()
    {
        var linear = new Linear(Tensor.FromArray(Enumerable.Range(0, 6).Select(i => 0.1 * i).ToArray(), [3, 2]), Tensor.FromArray(new double[] { 0, 0, 0 }, [3]));
        var x = Tensor.FromArray(Enumerable.Range(0, 8).Select(i => 1.0 + i).ToArray(), [2, 2, 2]);
        var (output, tape, _) = linear.Train(x);
        using var g = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => 0.5 * i - 2).ToArray(), [2, 2, 3]);
        var (dx, gradient) = linear.Backward(tape, g);
        Assert.Equal(new Shape(3, 2), gradient.W.Shape);
        // dW = Σ over both leading axes of gᵀ·x, written out.
        var expected = new double[6];
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 2; t++)
                for (int o = 0; o < 3; o++)
                    for (int i = 0; i < 2; i++)
                        expected[o * 2 + i] += (0.5 * ((b * 2 + t) * 3 + o) - 2) * (1.0 + (b * 2 + t) * 2 + i);
        Assert.Equal(expected, gradient.W.ToArray<double>());
        output.Dispose();
        tape.Dispose();
        dx.Dispose();
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
