using System.Reflection;

namespace Grad.Tests.Primitives;

/// <summary>
/// Every public [Primitive] has a forward reference check and a finite-difference gradient
/// check (<see cref="PrimitiveCatalog"/>), and both pass. A primitive added without them fails
/// here by name, so no rule ships untested.
/// </summary>
public class PrimitiveCatalogTests(BackendFixture backend) : IClassFixture<BackendFixture>
{
    private static readonly Dictionary<string, PrimitiveCase> Cases = PrimitiveCatalog.Cases.ToDictionary(c => c.Signature);

    public static TheoryData<string> ElementCases() => Data(c => c.Element is not null);

    public static TheoryData<string> GradientCases() => Data(c => c.Gradient is not null);

    [Fact]
    public void Every_public_primitive_has_a_forward_reference_and_a_gradient_check()
    {
        var problems = new List<string>();
        foreach (var method in PrimitiveReflection.All)
        {
            var signature = PrimitiveReflection.Signature(method);
            if (!Cases.TryGetValue(signature, out var c))
            {
                problems.Add($"{method.DeclaringType!.Name}.{signature} has no entry in PrimitiveCatalog");
                continue;
            }
            if ((c.Element is null) == (c.ForwardTest is null))
                problems.Add($"{signature}: give an element-wise reference or a forward test, exactly one");
            if (c.Element is not null != PrimitiveReflection.IsElementwise(method))
                problems.Add($"{signature}: an element reference is for primitives with an Element formula");
            if (c.ForwardTest is not null && !TestExists(c.ForwardTest))
                problems.Add($"{signature}: forward test {c.ForwardTest} does not exist");
            if (PrimitiveReflection.IsDifferentiable(method) && c.Gradient is null)
                problems.Add($"{signature} is differentiable but has no gradient check");
        }
        var stale = Cases.Keys.Except(PrimitiveReflection.All.Select(PrimitiveReflection.Signature));
        problems.AddRange(stale.Select(s => $"PrimitiveCatalog lists {s}, which is not a public primitive"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(ElementCases))]
    public void Element_wise_forward_matches_its_reference(string signature)
    {
        var c = Cases[signature];
        var method = PrimitiveReflection.Find(signature);
        int tensors = PrimitiveReflection.TensorCount(method);
        var operands = Enumerable.Range(0, tensors).Select(k => Operand(k, c.Domain)).ToArray();
        var scalars = Enumerable.Range(0, PrimitiveReflection.ScalarCount(method)).Select(k => k == 0 ? 1.7 : 0.3).ToArray();
        var inputs = operands.Select(o => backend.FromArray(o, 3, 4)).ToList();
        try
        {
            using var y = PrimitiveReflection.Invoke(method, inputs, scalars);
            var actual = y.ToArray<double>();
            for (int i = 0; i < actual.Length; i++)
            {
                var args = ArgsAt(method, operands, scalars, i);
                double expected = c.Element!(args);
                bool agree = double.IsNaN(expected) ? double.IsNaN(actual[i]) : Math.Abs(actual[i] - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected));
                Assert.True(agree,
                    $"{signature} at ({string.Join(", ", args)}): {actual[i]:R}, expected {expected:R}");
            }
        }
        finally
        {
            inputs.ForEach(t => t.Dispose());
        }
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Generated_gradient_matches_finite_differences(string signature)
    {
        var report = Cases[signature].Gradient!(backend);
        Assert.True(report.Passed, $"{signature}:\n{report}");
    }

    [Fact]
    public void Flatten_keeps_the_first_axis()
    {
        using var x = backend.FromArray(Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), 3, 2, 2);
        using var y = Ops.Flatten(x);
        Assert.Equal(new Shape(3, 4), y.Shape);
        Assert.Equal(x.ToArray<double>(), y.ToArray<double>());
    }

    [Fact]
    public void Broadcast_repeats_along_new_and_unit_axes()
    {
        using var t = backend.FromArray(new double[] { 1, 2 }, 2, 1);
        using var y = Ops.Broadcast(t, new Shape(3, 2, 2));
        Assert.Equal(new double[] { 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2 }, y.ToArray<double>());
    }

    [Fact]
    public void SumTo_sums_what_broadcasting_repeated()
    {
        using var g = backend.FromArray(Enumerable.Range(1, 12).Select(i => (double)i).ToArray(), 2, 3, 2);
        using var y = Ops.SumTo(g, new Shape(3, 1));
        Assert.Equal(new Shape(3, 1), y.Shape);
        Assert.Equal(new double[] { 1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12 }, y.ToArray<double>());
    }

    [Fact]
    public void ExpandReduced_undoes_a_reduction_of_kept_or_dropped_axes()
    {
        using var reduced = backend.FromArray(new double[] { 1, 2 }, 2);
        using var kept = backend.FromArray(new double[] { 1, 2 }, 2, 1);
        using var fromDropped = Ops.ExpandReduced(reduced, new Shape(2, 3), [1], false);
        using var fromKept = Ops.ExpandReduced(kept, new Shape(2, 3), [1], true);
        Assert.Equal(new double[] { 1, 1, 1, 2, 2, 2 }, fromDropped.ToArray<double>());
        Assert.Equal(new double[] { 1, 1, 1, 2, 2, 2 }, fromKept.ToArray<double>());
    }

    [Fact]
    public void Zeros_take_the_dtype_and_device_of_their_model()
    {
        using var like = backend.Ones([2], DType.Float64);
        using var zeros = Ops.Zeros(new Shape(2, 3), like);
        Assert.Equal((DType.Float64, like.Backend), (zeros.DType, zeros.Backend));
        Assert.Equal(new double[6], zeros.ToArray<double>());
    }

    /// <summary>Operand k of an element-wise forward check: twelve values in the domain, the
    /// second operand equal to the first at every third element so comparisons meet ties.</summary>
    private static double[] Operand(int k, Domain domain)
    {
        var values = Enumerable.Range(0, 12).Select(i => Math.Sin(1.3 * i + 0.7 * k) * 2.5).ToArray();
        if (k == 1) for (int i = 0; i < values.Length; i += 3) values[i] = Operand(0, domain)[i];
        return (domain, k) switch
        {
            (Domain.Positive, _) or (Domain.PositiveBase, 0) => values.Select(v => Math.Abs(v) + 0.25).ToArray(),
            (Domain.Mask, 0) => values.Select(v => v > 0 ? 1.0 : 0.0).ToArray(),
            _ => values,
        };
    }

    /// <summary>The arguments at element i, in parameter order.</summary>
    private static double[] ArgsAt(MethodInfo method, double[][] operands, double[] scalars, int i)
    {
        int t = 0, s = 0;
        return method.GetParameters().Select(p => p.ParameterType == typeof(Tensor) ? operands[t++][i] : scalars[s++]).ToArray();
    }

    private static bool TestExists(string name)
    {
        var (type, method) = (name[..name.IndexOf('.')], name[(name.IndexOf('.') + 1)..]);
        return typeof(PrimitiveCatalogTests).Assembly.GetTypes().Where(t => t.Name == type)
            .SelectMany(t => t.GetMethods()).Any(m => m.Name == method && m.GetCustomAttributes<FactAttribute>().Any());
    }

    private static TheoryData<string> Data(Func<PrimitiveCase, bool> which)
    {
        var data = new TheoryData<string>();
        foreach (var c in PrimitiveCatalog.Cases.Where(which)) data.Add(c.Signature);
        return data;
    }
}
