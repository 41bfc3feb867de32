using static Grad.Ops;

namespace Grad.Tests.Primitives;

/// <summary>
/// What every public [Primitive] of Grad.Core is checked against, one entry each. Element-wise
/// primitives give a reference per element (run by <see cref="PrimitiveCatalogTests"/> on random
/// operands); the others name the test that checks their forward against a reference. Every
/// differentiable primitive has a small layer below whose generated backward, built from that
/// primitive's rule, is gradient-checked against central differences in float64.
/// A new primitive without an entry fails <see cref="PrimitiveCatalogTests"/>, naming it.
/// </summary>
internal static class PrimitiveCatalog
{
    public static IReadOnlyList<PrimitiveCase> Cases { get; } =
    [
        Element("Add(Tensor, Tensor)", v => v[0] + v[1], b => Check(new AddCase(P(b, 4)), X(b))),
        Element("Subtract(Tensor, Tensor)", v => v[0] - v[1], b => Check(new SubtractCase(P(b, 4)), X(b))),
        Element("Multiply(Tensor, Tensor)", v => v[0] * v[1], b => Check(new MultiplyCase(P(b, 4)), X(b))),
        Element("Divide(Tensor, Tensor)", v => v[0] / v[1], b => Check(new DivideCase(P(b, 4)), X(b))),
        Element("Pow(Tensor, Tensor)", v => Math.Pow(v[0], v[1]), b => Check(new PowCase(P(b, 4)), X(b)), Domain.PositiveBase),
        Element("Pow(Tensor, Double)", v => Math.Pow(v[0], v[1]), b => Check(new PowScalarCase(), X(b)), Domain.PositiveBase),
        Element("Maximum(Tensor, Tensor)", v => Math.Max(v[0], v[1]), b => Check(new MaximumCase(Near(b, 4, 0.02)), AwayFromZero(b))),
        Element("Maximum(Tensor, Double)", v => Math.Max(v[0], v[1]), b => Check(new MaximumScalarCase(), AwayFromZero(b))),
        Element("Minimum(Tensor, Tensor)", v => Math.Min(v[0], v[1]), b => Check(new MinimumCase(Near(b, 4, 0.02)), AwayFromZero(b))),
        Element("Minimum(Tensor, Double)", v => Math.Min(v[0], v[1]), b => Check(new MinimumScalarCase(), AwayFromZero(b))),
        Element("Equal(Tensor, Tensor)", v => v[0] == v[1] ? 1 : 0),
        Element("NotEqual(Tensor, Tensor)", v => v[0] != v[1] ? 1 : 0),
        Element("Less(Tensor, Tensor)", v => v[0] < v[1] ? 1 : 0),
        Element("LessOrEqual(Tensor, Tensor)", v => v[0] <= v[1] ? 1 : 0),
        Element("Greater(Tensor, Tensor)", v => v[0] > v[1] ? 1 : 0),
        Element("GreaterOrEqual(Tensor, Tensor)", v => v[0] >= v[1] ? 1 : 0),
        Element("Equal(Tensor, Double)", v => v[0] == v[1] ? 1 : 0),
        Element("NotEqual(Tensor, Double)", v => v[0] != v[1] ? 1 : 0),
        Element("Less(Tensor, Double)", v => v[0] < v[1] ? 1 : 0),
        Element("LessOrEqual(Tensor, Double)", v => v[0] <= v[1] ? 1 : 0),
        Element("Greater(Tensor, Double)", v => v[0] > v[1] ? 1 : 0),
        Element("GreaterOrEqual(Tensor, Double)", v => v[0] >= v[1] ? 1 : 0),
        Element("Negate(Tensor)", v => -v[0], b => Check(new NegateCase(), X(b))),
        Element("Exp(Tensor)", v => Math.Exp(v[0]), b => Check(new ExpCase(), X(b))),
        Element("Log(Tensor)", v => Math.Log(v[0]), b => Check(new LogCase(), X(b)), Domain.Positive),
        Element("Sqrt(Tensor)", v => Math.Sqrt(v[0]), b => Check(new SqrtCase(), X(b)), Domain.Positive),
        Element("Abs(Tensor)", v => Math.Abs(v[0]), b => Check(new AbsCase(), AwayFromZero(b))),
        Element("Tanh(Tensor)", v => Math.Tanh(v[0]), b => Check(new TanhCase(), X(b))),
        Element("Sigmoid(Tensor)", v => 1 / (1 + Math.Exp(-v[0])), b => Check(new SigmoidCase(), X(b))),
        Element("Relu(Tensor)", v => Math.Max(v[0], 0), b => Check(new ReluCase(), AwayFromZero(b))),
        Element("Erf(Tensor)", v => ErfBySimpson(v[0]), b => Check(new ErfCase(), X(b))),
        Element("Square(Tensor)", v => v[0] * v[0], b => Check(new SquareCase(), X(b))),
        Element("Reciprocal(Tensor)", v => 1 / v[0], b => Check(new ReciprocalCase(), X(b)), Domain.Positive),
        Element("Where(Tensor, Tensor, Tensor)", v => v[0] != 0 ? v[1] : v[2], b => Check(new WhereCase(P(b, 4)), AwayFromZero(b)), Domain.Mask),

        Other("MatMul(Tensor, Tensor)", "MatMulTests.Batched_product_broadcasts_the_batch", b => Check(new MatMulCase(P(b, 4, 5)), X(b))),
        Other("Conv2d(Tensor, Tensor, Int32, Int32)", "ConvolutionTests.Forward_matches_naive_loops",
            b => Check(new Conv2dCase(P(b, 4, 3, 3, 3)), X(b, 2, 3, 5, 5))),
        Other("MaxPool2d(Tensor, Int32, Int32, Int32)", "MaxPoolTests.Forward_matches_naive_windows", b => Check(new MaxPool2dCase(), X(b, 2, 3, 4, 4))),
        Other("Softmax(Tensor, Int32)", "SoftmaxTests.Softmax_matches_the_formula_along_any_axis", b => Check(new SoftmaxCase(), X(b))),
        Other("LogSoftmax(Tensor, Int32)", "SoftmaxTests.Softmax_matches_the_formula_along_any_axis", b => Check(new LogSoftmaxCase(), X(b))),
        Other("SoftmaxCrossEntropy(Tensor, Tensor)", "CrossEntropyTests.Class_indices_give_the_loss_and_gradient_of_their_one_hot_rows",
            b => Check(new SoftmaxCrossEntropyCase(OneHotRows(b)), X(b))),
        Other("Sum(Tensor)", "ReductionTests.Whole_tensor_reductions_give_scalars_and_negative_axes_resolve", b => Check(new SumAllCase(), X(b))),
        Other("Sum(Tensor, Int32, Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new SumAxisCase(), X(b))),
        Other("Sum(Tensor, Int32[], Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new SumAxesCase(), X(b))),
        Other("Mean(Tensor)", "ReductionTests.Whole_tensor_reductions_give_scalars_and_negative_axes_resolve", b => Check(new MeanAllCase(), X(b))),
        Other("Mean(Tensor, Int32, Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new MeanAxisCase(), X(b))),
        Other("Mean(Tensor, Int32[], Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new MeanAxesCase(), X(b))),
        Other("Max(Tensor)", "ReductionTests.Whole_tensor_reductions_give_scalars_and_negative_axes_resolve", b => Check(new MaxAllCase(), X(b))),
        Other("Max(Tensor, Int32, Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new MaxAxisCase(), X(b))),
        Other("Max(Tensor, Int32[], Boolean)", "ReductionTests.Reductions_match_brute_force", b => Check(new MaxAxesCase(), X(b))),
        Other("ArgMax(Tensor, Int32, Boolean)", "ReductionTests.ArgMax_returns_the_first_maximum_as_int32"),
        Other("OneHot(Tensor, Int32, DType)", "OneHotTests.Each_row_has_a_one_at_its_class"),
        Other("Transpose(Tensor)", "ViewTests.Permute_and_transpose_reorder_axes", b => Check(new TransposeCase(P(b, 4, 3)), X(b))),
        Other("Reshape(Tensor, Int32[])", "ViewTests.Reshape_infers_one_dimension_and_shares_storage", b => Check(new ReshapeCase(P(b, 2, 6)), X(b))),
        Other("Flatten(Tensor)", "PrimitiveCatalogTests.Flatten_keeps_the_first_axis", b => Check(new FlattenCase(P(b, 4)), X(b, 3, 2, 2))),
        Other("Broadcast(Tensor, Shape)", "PrimitiveCatalogTests.Broadcast_repeats_along_new_and_unit_axes", b => Check(new BroadcastCase(P(b, 4)), X(b))),
        Other("SumTo(Tensor, Shape)", "PrimitiveCatalogTests.SumTo_sums_what_broadcasting_repeated", b => Check(new SumToCase(P(b, 4)), X(b))),
        Other("ExpandReduced(Tensor, Shape, Int32[], Boolean)", "PrimitiveCatalogTests.ExpandReduced_undoes_a_reduction_of_kept_or_dropped_axes",
            b => Check(new ExpandReducedCase(), X(b))),
        Other("Track(Tensor, Tensor, Double, Int32)", "SeedDerivationTests.BatchNorm_tracks_running_statistics_like_pytorch_and_eval_uses_them",
            b => Check(new TrackCase(b.Zeros([4], DType.Float64)), X(b))),
        Other("Zeros(Shape, Tensor)", "PrimitiveCatalogTests.Zeros_take_the_dtype_and_device_of_their_model"),
    ];

    /// <summary>A float64 (3, 4) input, or of the given shape, standard normal.</summary>
    private static Tensor X(BackendFixture b, params int[] shape) => b.Random(shape.Length == 0 ? new Shape(3, 4) : new Shape(shape), seed: 11);

    /// <summary>A float64 parameter of the given shape, standard normal.</summary>
    private static Tensor P(BackendFixture b, params int[] shape) => b.Random(new Shape(shape), seed: 12);

    private static Tensor Near(BackendFixture b, int size, double value) => b.Full([size], value, DType.Float64);

    /// <summary>|x| ≥ 0.1: central differences never straddle a kink at 0 (or at ±0.05).</summary>
    private static Tensor AwayFromZero(BackendFixture b)
    {
        using var raw = X(b);
        using var sign = Greater(raw, 0.0) - Less(raw, 0.0);
        return raw + sign * 0.1;
    }

    private static Tensor OneHotRows(BackendFixture b)
    {
        using var labels = b.FromArray(new[] { 2, 0, 3 }, 3);
        return OneHot(labels, 4, DType.Float64);
    }

    private static GradCheckReport Check<TLayer>(TLayer layer, Tensor x) where TLayer : ILayer<TLayer>
    {
        using (x) return GradCheck.CheckLayer(layer, x);
    }

    /// <summary>erf by Simpson's rule on 2/√π·e^(−t²) with 4000 intervals: a reference independent
    /// of the series and continued fraction Grad uses, good to about 1e-13.</summary>
    private static double ErfBySimpson(double x)
    {
        const int n = 4000;
        double h = x / n, sum = 0;
        for (int i = 0; i <= n; i++) sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-(i * h) * (i * h));
        return 2 / Math.Sqrt(Math.PI) * sum * h / 3;
    }

    private static PrimitiveCase Element(string signature, Func<double[], double> reference,
        Func<BackendFixture, GradCheckReport>? gradient = null, Domain domain = Domain.Any) =>
        new(signature, reference, null, gradient, domain);

    private static PrimitiveCase Other(string signature, string forwardTest, Func<BackendFixture, GradCheckReport>? gradient = null) =>
        new(signature, null, forwardTest, gradient, Domain.Any);
}

/// <summary>Where an element-wise primitive's operands are drawn for its forward check.</summary>
internal enum Domain
{
    Any,
    /// <summary>Every operand positive (log, sqrt, reciprocal).</summary>
    Positive,
    /// <summary>The first operand positive (a real power of any exponent).</summary>
    PositiveBase,
    /// <summary>The first operand a 0/1 mask.</summary>
    Mask,
}

/// <param name="Element">The element-wise reference, over the operands in parameter order.</param>
/// <param name="ForwardTest">"Class.Method" of the test that checks a non-element-wise forward.</param>
/// <param name="Gradient">The gradient check of a layer that calls the primitive; null only for a
/// [NonDifferentiable] primitive.</param>
internal sealed record PrimitiveCase(string Signature, Func<double[], double>? Element, string? ForwardTest,
    Func<BackendFixture, GradCheckReport>? Gradient, Domain Domain)
{
    public override string ToString() => Signature;
}

// One layer per differentiable primitive: its generated backward comes from that primitive's rule.
[Layer] public sealed partial record AddCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Add(x, P); }
[Layer] public sealed partial record SubtractCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Subtract(x, P); }
[Layer] public sealed partial record MultiplyCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Multiply(x, P); }
[Layer] public sealed partial record DivideCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Divide(x, Square(P) + 0.5); }
[Layer] public sealed partial record PowCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Pow(Square(x) + 0.5, P); }
[Layer] public sealed partial record PowScalarCase { [Forward] public Tensor Forward(Tensor x) => Pow(Square(x) + 0.5, 1.7); }
[Layer] public sealed partial record MaximumCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Maximum(x, P); }
[Layer] public sealed partial record MaximumScalarCase { [Forward] public Tensor Forward(Tensor x) => Maximum(x, 0.05); }
[Layer] public sealed partial record MinimumCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Minimum(x, P); }
[Layer] public sealed partial record MinimumScalarCase { [Forward] public Tensor Forward(Tensor x) => Minimum(x, -0.05); }
[Layer] public sealed partial record NegateCase { [Forward] public Tensor Forward(Tensor x) => Negate(x); }
[Layer] public sealed partial record ExpCase { [Forward] public Tensor Forward(Tensor x) => Exp(x); }
[Layer] public sealed partial record LogCase { [Forward] public Tensor Forward(Tensor x) => Log(Square(x) + 0.5); }
[Layer] public sealed partial record SqrtCase { [Forward] public Tensor Forward(Tensor x) => Sqrt(Square(x) + 0.5); }
[Layer] public sealed partial record AbsCase { [Forward] public Tensor Forward(Tensor x) => Abs(x); }
[Layer] public sealed partial record TanhCase { [Forward] public Tensor Forward(Tensor x) => Tanh(x); }
[Layer] public sealed partial record SigmoidCase { [Forward] public Tensor Forward(Tensor x) => Sigmoid(x); }
[Layer] public sealed partial record ReluCase { [Forward] public Tensor Forward(Tensor x) => Relu(x); }
[Layer] public sealed partial record ErfCase { [Forward] public Tensor Forward(Tensor x) => Erf(x); }
[Layer] public sealed partial record SquareCase { [Forward] public Tensor Forward(Tensor x) => Square(x); }
[Layer] public sealed partial record ReciprocalCase { [Forward] public Tensor Forward(Tensor x) => Reciprocal(Square(x) + 0.5); }
[Layer] public sealed partial record WhereCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Where(x > 0.0, x * P, Square(x)); }
[Layer] public sealed partial record MatMulCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => MatMul(x, P); }
[Layer] public sealed partial record Conv2dCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Conv2d(x, P, 1, 1); }
[Layer] public sealed partial record MaxPool2dCase { [Forward] public Tensor Forward(Tensor x) => MaxPool2d(x, 2, 2); }
[Layer] public sealed partial record SoftmaxCase { [Forward] public Tensor Forward(Tensor x) => Softmax(x, 1); }
[Layer] public sealed partial record LogSoftmaxCase { [Forward] public Tensor Forward(Tensor x) => LogSoftmax(x, 0); }
[Layer] public sealed partial record SoftmaxCrossEntropyCase([State] Tensor Targets) { [Forward] public Tensor Forward(Tensor x) => SoftmaxCrossEntropy(x, Targets); }
[Layer] public sealed partial record SumAllCase { [Forward] public Tensor Forward(Tensor x) => Sum(x) * x; }
[Layer] public sealed partial record SumAxisCase { [Forward] public Tensor Forward(Tensor x) => Sum(x, 1, keepDims: true) * x; }
[Layer] public sealed partial record SumAxesCase { [Forward] public Tensor Forward(Tensor x) => Sum(x, [0, 1]) * x; }
[Layer] public sealed partial record MeanAllCase { [Forward] public Tensor Forward(Tensor x) => Mean(x) * x; }
[Layer] public sealed partial record MeanAxisCase { [Forward] public Tensor Forward(Tensor x) => Mean(x, 0) * x; }
[Layer] public sealed partial record MeanAxesCase { [Forward] public Tensor Forward(Tensor x) => Mean(x, [1], keepDims: true) * x; }
[Layer] public sealed partial record MaxAllCase { [Forward] public Tensor Forward(Tensor x) => Max(x) * x; }
[Layer] public sealed partial record MaxAxisCase { [Forward] public Tensor Forward(Tensor x) => Max(x, 1, keepDims: true) * x; }
[Layer] public sealed partial record MaxAxesCase { [Forward] public Tensor Forward(Tensor x) => Max(x, [0]) * x; }
[Layer] public sealed partial record TransposeCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Transpose(x) * P; }
[Layer] public sealed partial record ReshapeCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Reshape(x, [2, 6]) * P; }
[Layer] public sealed partial record FlattenCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Flatten(x) * P; }
[Layer] public sealed partial record BroadcastCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => Broadcast(P, x.Shape) * x; }
[Layer] public sealed partial record SumToCase([Param] Tensor P) { [Forward] public Tensor Forward(Tensor x) => SumTo(x, P.Shape) * P; }
[Layer] public sealed partial record ExpandReducedCase { [Forward] public Tensor Forward(Tensor x) => ExpandReduced(Sum(x, 1), x.Shape, [1], false) * x; }
[Layer] public sealed partial record TrackCase([State] Tensor Running) { [Forward] public Tensor Forward(Tensor x) => Track(Running, Mean(x, 0), 0.1) * x; }
