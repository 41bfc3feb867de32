using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>
/// Odd but valid [Layer] declarations (issue 13). The generator's contract: either a GRAD
/// diagnostic at the right place, or generated code that compiles, whose forward equals the
/// hand-written forward and whose backward passes a float64 gradient check. Never a crash, never
/// an error in a generated file, never wrong numbers. Add a case for every shape that broke.
/// </summary>
public class FuzzCorpusTests
{
    /// <summary>A declaration that must compile and be right: <paramref name="Type"/> is the
    /// layer's metadata name (<c>A+Lin</c>, <c>Pair`1</c>, closed over double), its primary
    /// constructor takes <paramref name="Params"/> tensors of these shapes, its forward
    /// <paramref name="Inputs"/> tensors of these shapes and, in order, the non-tensor
    /// <paramref name="Scalars"/>, and <paramref name="Expected"/> is the forward by hand.
    /// <paramref name="Hyper"/> makes the constructor's arguments after the tensors (sub-layers
    /// from the compiled assembly, hyper-parameters).</summary>
    public sealed record Correct(string Source, string Type, int[][] Inputs, int[][] Params, Func<Tensor[], Tensor[], Tensor> Expected,
        object[]? Scalars = null, Func<Assembly, object[]>? Hyper = null)
    {
        public override string ToString() => Type;
    }

    private static readonly int[] V = [3, 4];

    private const string Gate = "[Layer] public sealed partial record Gate([Param] Tensor W, bool UseExp) { [Forward] public Tensor F(Tensor x) { var h = x * W; var y = UseExp ? Exp(h) : h * h; return y + h; } }";
    private const string GateArg = "[Layer] public sealed partial record GateArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, bool useTanh) => useTanh ? Tanh(x * W) : Sigmoid(x * W); }";

    public static readonly TheoryData<string, Correct> CorrectCases = new()
    {
        // Item 1: user names that are also the generated code's names.
        { "input named g", new("[Layer] public sealed partial record GIn([Param] Tensor W) { [Forward] public Tensor F(Tensor g) => g * W * g; }",
            "GIn", [V], [V], (x, p) => x[0] * p[0] * x[0]) },
        { "param named g", new("[Layer] public sealed partial record GParam([Param] Tensor g) { [Forward] public Tensor F(Tensor x) => g * x * x; }",
            "GParam", [V], [V], (x, p) => p[0] * x[0] * x[0]) },
        { "local named g", new("[Layer] public sealed partial record GLocal([Param] Tensor W) { [Forward] public Tensor F(Tensor x) { var g = x * W; return g * x; } }",
            "GLocal", [V], [V], (x, p) => x[0] * p[0] * x[0]) },
        { "param named dx", new("[Layer] public sealed partial record DxParam([Param] Tensor dx) { [Forward] public Tensor F(Tensor x) => dx * x; }",
            "DxParam", [V], [V], (x, p) => p[0] * x[0]) },
        { "input named dW", new("[Layer] public sealed partial record DwIn([Param] Tensor W) { [Forward] public Tensor F(Tensor dW) => W * dW * dW; }",
            "DwIn", [V], [V], (x, p) => p[0] * x[0] * x[0]) },
        { "input named scope", new("[Layer] public sealed partial record ScopeIn([Param] Tensor W) { [Forward] public Tensor F(Tensor scope) => W * scope; }",
            "ScopeIn", [V], [V], (x, p) => p[0] * x[0]) },
        { "input named tape", new("[Layer] public sealed partial record TapeIn([Param] Tensor W) { [Forward] public Tensor F(Tensor tape) => Tanh(W * tape); }",
            "TapeIn", [V], [V], (x, p) => Ops.Tanh(p[0] * x[0])) },
        { "param named scope", new("[Layer] public sealed partial record ScopeParam([Param] Tensor scope) { [Forward] public Tensor F(Tensor x) => scope * x; }",
            "ScopeParam", [V], [V], (x, p) => p[0] * x[0]) },
        { "keyword names", new("[Layer] public sealed partial record Keywords([Param] Tensor @event) { [Forward] public Tensor F(Tensor @class) { var @do = @class * @event; return @do * @class; } }",
            "Keywords", [V], [V], (x, p) => x[0] * p[0] * x[0]) },
        { "input o (do)", new("[Layer] public sealed partial record InputO([Param] Tensor W) { [Forward] public Tensor F(Tensor o) => Tanh(o * W); }",
            "InputO", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0])) },
        { "two inputs g and x", new("[Layer] public sealed partial record TwoIn([Param] Tensor W) { [Forward] public Tensor F(Tensor x, Tensor g) => x * W + g * x; }",
            "TwoIn", [V, V], [V], (x, p) => x[0] * p[0] + x[1] * x[0]) },
        // Item 2: hint names.
        { "nested Lin in A", new("public partial class A { [Layer] public sealed partial record Lin([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W; } }\n"
            + "public partial class B { [Layer] public sealed partial record Lin([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x + W; } }",
            "A+Lin", [V], [V], (x, p) => x[0] * p[0]) },
        { "Pair beside Pair<T>", new("[Layer] public sealed partial record Pair([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W; }\n"
            + "[Layer] public sealed partial record Pair<T>([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x - W; }",
            "Pair`1", [V], [V], (x, p) => x[0] - p[0]) },
        // Item 3.
        { "generic in generic class", new("public partial class Outer<U> { [Layer] public sealed partial record Inner<T>([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => Sigmoid(x * W); } }",
            "Outer`1+Inner`1", [V], [V], (x, p) => Ops.Sigmoid(x[0] * p[0])) },
        { "nested in struct", new("public partial struct S { [Layer] public sealed partial record N([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W * x; } }",
            "S+N", [V], [V], (x, p) => x[0] * p[0] * x[0]) },
        { "NoGrad on the only input", new("[Layer] public sealed partial record OnlyNoGrad([Param] Tensor W) { [Forward] public Tensor F([NoGrad] Tensor x) => x * W * W; }",
            "OnlyNoGrad", [V], [V], (x, p) => x[0] * p[0] * p[0]) },
        { "unused input", new("[Layer] public sealed partial record UnusedIn([Param] Tensor W) { [Forward] public Tensor F(Tensor x, Tensor y) => x * W; }",
            "UnusedIn", [V, V], [V], (x, p) => x[0] * p[0]) },
        { "unused param", new("[Layer] public sealed partial record UnusedParam([Param] Tensor W, [Param] Tensor U) { [Forward] public Tensor F(Tensor x) => x * W; }",
            "UnusedParam", [V], [V, V], (x, p) => x[0] * p[0]) },
        { "forward returns a param", new("[Layer] public sealed partial record ReturnsW([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => W; }",
            "ReturnsW", [V], [V], (x, p) => p[0]) },
        { "forward returns its input", new("[Layer] public sealed partial record ReturnsX([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x; }",
            "ReturnsX", [V], [V], (x, p) => x[0]) },
        { "forward of a constant expression", new("[Layer] public sealed partial record Constant([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => W * 2.0 + 1.0; }",
            "Constant", [V], [V], (x, p) => p[0] * 2.0 + 1.0) },
        { "members named like traversal parameters", new("[Layer] public sealed partial record TraversalNames([Param] Tensor map, [Param] Tensor prefix) { [Forward] public Tensor F(Tensor other) => other * map + prefix; }",
            "TraversalNames", [V], [V, V], (x, p) => x[0] * p[0] + p[1]) },
        { "one-hot of an arg-max", new("[Layer] public sealed partial record Hard([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W * OneHot(ArgMax(x, -1), 4, DType.Float64); }",
            "Hard", [V], [V], (x, p) => x[0] * p[0] * Ops.OneHot(Ops.ArgMax(x[0], -1), 4, DType.Float64)) },
        // Item 5: scalar forward arguments take no gradient and reach the backward on the tape.
        { "double argument", new("[Layer] public sealed partial record ScaleArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, double scale) => Tanh(x * W * scale); }",
            "ScaleArg", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0] * 0.7), Scalars: [0.7]) },
        { "float argument before the tensor", new("[Layer] public sealed partial record FloatArg([Param] Tensor W) { [Forward] public Tensor F(float scale, Tensor x) => Exp(x * scale) * W; }",
            "FloatArg", [V], [V], (x, p) => Ops.Exp(x[0] * 0.25f) * p[0], Scalars: [0.25f]) },
        { "int argument as a power and a divisor", new("[Layer] public sealed partial record IntArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, int n) => Pow(x, n) * W / n; }",
            "IntArg", [V], [V], (x, p) => Ops.Pow(x[0], 3) * p[0] / 3, Scalars: [3]) },
        { "scalar argument with a default, in a local", new("[Layer] public sealed partial record DefaultArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, double eps = 1e-3) { var e = eps * 2; return Sqrt(x * W + e); } }",
            "DefaultArg", [V], [V], (x, p) => Ops.Sqrt(x[0] * p[0] + 0.5), Scalars: [0.25]) },
        { "scalar argument passed by name to a sub-layer", new("[Layer] public sealed partial record ScaledInner { [Forward] public Tensor F(Tensor x, double s, double t = 0.5) => Sigmoid(x * s) + t; }\n"
            + "[Layer] public sealed partial record PassesScale([Param] Tensor U, ScaledInner Inner) { [Forward] public Tensor F(Tensor x, double s) => Inner.F(s: s * 2, x: x * U); }",
            "PassesScale", [V], [V], (x, p) => Ops.Sigmoid(x[0] * p[0] * 3.0) + 0.5, Scalars: [1.5], Hyper: a => [Activator.CreateInstance(a.GetType("ScaledInner")!)!]) },
        // Item 5: a ?: on a bool member or argument; the backward follows the branch the forward took.
        { "bool member, true", new(Gate, "Gate", [V], [V], (x, p) => Ops.Exp(x[0] * p[0]) + x[0] * p[0], Hyper: _ => [true]) },
        { "bool member, false", new(Gate, "Gate", [V], [V], (x, p) => x[0] * p[0] * (x[0] * p[0]) + x[0] * p[0], Hyper: _ => [false]) },
        { "bool argument, true", new(GateArg, "GateArg", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0]), Scalars: [true]) },
        { "bool argument, false", new(GateArg, "GateArg", [V], [V], (x, p) => Ops.Sigmoid(x[0] * p[0]), Scalars: [false]) },
        { "nested ?: on two members", new("[Layer] public sealed partial record Nested([Param] Tensor W, bool A, bool B) { [Forward] public Tensor F(Tensor x) => A ? (B ? Tanh(x * W) : Sigmoid(x * W)) : x * W * W; }",
            "Nested", [V], [V], (x, p) => Ops.Sigmoid(x[0] * p[0]), Hyper: _ => [true, false]) },
        { "?: on the same member twice", new("[Layer] public sealed partial record Twice([Param] Tensor W, bool Log) { [Forward] public Tensor F(Tensor x) { var a = Log ? Ops.Log(x) : x; return (Log ? a * W : a + W) * x; } }",
            "Twice", [V], [V], (x, p) => Ops.Log(x[0]) * p[0] * x[0], Hyper: _ => [true]) },
        { "?: on an input's shape and a negated argument", new("[Layer] public sealed partial record OnShape([Param] Tensor W) { [Forward] public Tensor F(Tensor x, bool plain) => x.Shape[0] > 2 && !plain ? Tanh(x) * W : x * W; }",
            "OnShape", [V], [V], (x, p) => Ops.Tanh(x[0]) * p[0], Scalars: [false]) },
        // Item 5: a constant tensor that follows the input's dtype and device (Tensor.Full is refused).
        { "constant from Zeros like an input", new("[Layer] public sealed partial record PlusOne([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W + (Zeros([3, 4], x) + 1.0); }",
            "PlusOne", [V], [V], (x, p) => x[0] * p[0] + 1.0) },
        // Names of the generated Tape class and its fields.
        { "input named Dispose", new("[Layer] public sealed partial record DisposeIn([Param] Tensor W) { [Forward] public Tensor F(Tensor Dispose) => Tanh(Dispose * W); }",
            "DisposeIn", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0])) },
        { "input named Tape", new("[Layer] public sealed partial record TapeNamed([Param] Tensor W) { [Forward] public Tensor F(Tensor Tape) => Tanh(Tape * W); }",
            "TapeNamed", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0])) },
        { "inputs named ToString and Equals", new("[Layer] public sealed partial record ObjectNames([Param] Tensor W) { [Forward] public Tensor F(Tensor ToString, Tensor Equals) => ToString * W * Equals; }",
            "ObjectNames", [V, V], [V], (x, p) => x[0] * p[0] * x[1]) },
        { "local named like x's shape field", new("[Layer] public sealed partial record ShapeLocal([Param] Tensor W) { [Forward] public Tensor F(Tensor x) { var xShape = Exp(W); return Sum(x, axis: 0) * xShape; } }",
            "ShapeLocal", [V], [[4]], (x, p) => Ops.Sum(x[0], axis: 0) * Ops.Exp(p[0])) },
        { "input named like x's shape field", new("[Layer] public sealed partial record ShapeInput([Param] Tensor W) { [Forward] public Tensor F(Tensor x, Tensor xShape) => Sum(x, axis: 0) * xShape * W; }",
            "ShapeInput", [V, [4]], [[4]], (x, p) => Ops.Sum(x[0], axis: 0) * x[1] * p[0]) },
        { "local named like a sub-layer's tape field", new("[Layer] public sealed partial record Squares { [Forward] public Tensor F(Tensor x) => x * x; }\n"
            + "[Layer] public sealed partial record SubTapeLocal([Param] Tensor W, Squares Inner) { [Forward] public Tensor F(Tensor x) { var inner = Tanh(x * W); return Inner.F(inner) * inner; } }",
            "SubTapeLocal", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0]) * Ops.Tanh(x[0] * p[0]) * Ops.Tanh(x[0] * p[0]), Hyper: a => [Activator.CreateInstance(a.GetType("Squares")!)!]) },
        { "members named like fused kernels", new("[Layer] public sealed partial record KernelNames([Param] Tensor W) { public int Fused_t1 => 1; public int Fused_t2 => 2; public int Fused_t3 => 3; public int Fused_x => 4; public int Fused_W => 5; "
            + "[Forward] public Tensor F(Tensor x) => Tanh(x * W * 2.0) * Sigmoid(x + W); }",
            "KernelNames", [V], [V], (x, p) => Ops.Tanh(x[0] * p[0] * 2.0) * Ops.Sigmoid(x[0] + p[0])) },
        // Item 4.
        { "float literal", new("[Layer] public sealed partial record FloatLit([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W * 0.1f + 0.3f; }",
            "FloatLit", [V], [V], (x, p) => x[0] * p[0] * 0.1f + 0.3f) },
        { "decimal-free double literal", new("[Layer] public sealed partial record DoubleLit([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W * 1e-3 + 2; }",
            "DoubleLit", [V], [V], (x, p) => x[0] * p[0] * 1e-3 + 2) },
    };

    public static readonly TheoryData<string, string, string, string> RefusedCases = new()
    {
        // name, ID, source, text the diagnostic's span starts with
        { "member named Tape", "GRAD017", "[Layer] public sealed partial record HasTape([Param] Tensor W) { public int Tape => 1; [Forward] public Tensor F(Tensor x) => x * W; }", "Tape" },
        { "user Eval(Tensor)", "GRAD017", "[Layer] public sealed partial record HasEval([Param] Tensor W) { public Tensor Eval(Tensor x) => x; [Forward] public Tensor F(Tensor x) => x * W; }", "Eval" },
        { "get-only param", "GRAD018", "[Layer] public sealed partial record GetOnly { [Param] public Tensor W { get; } = Tensor.FromArray(new double[] { 1 }, 1); [Forward] public Tensor F(Tensor x) => x * W; }", "W" },
        { "param field", "GRAD018", "[Layer] public sealed partial record ParamField { [Param] public Tensor W = null!; [Forward] public Tensor F(Tensor x) => x * W; }", "W" },
        { "sub-layer field", "GRAD018", "[Layer] public sealed partial record L1([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W; }\n[Layer] public sealed partial record LayerField { public L1 Inner = null!; [Forward] public Tensor F(Tensor x) => Inner.F(x); }", "Inner" },
        { "string forward argument", "GRAD007", "[Layer] public sealed partial record StringArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, string mode) => x * W; }", "string mode" },
        { "ref forward argument", "GRAD007", "[Layer] public sealed partial record RefArg([Param] Tensor W) { [Forward] public Tensor F(Tensor x, ref double s) => x * W * s; }", "ref double s" },
        { "only scalar arguments", "GRAD007", "[Layer] public sealed partial record NoTensorArg([Param] Tensor W) { [Forward] public Tensor F(double s) => W * s; }", "F" },
        { "input named like a [Param]", "GRAD007", "[Layer] public sealed partial record Hides([Param] Tensor W) { [Forward] public Tensor F(Tensor x, Tensor W) => x * W * this.W; }", "Tensor W" },
        { "Full, not in scope", "GRAD006", "[Layer] public sealed partial record FullOps([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W + Full([4, 5], 1.0); }", "Full(" },
        { "Tensor.Full", "GRAD006", "[Layer] public sealed partial record FullTensor([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => x * W + Tensor.Full([3, 4], 1.0, DType.Float64); }", "Tensor.Full(" },
        { "?: on a computed value", "GRAD006", "[Layer] public sealed partial record Computed([Param] Tensor W) { [Forward] public Tensor F(Tensor x) { var h = x * W; return h.Shape[0] > 2 ? Tanh(h) : h; } }", "h.Shape[0] > 2" },
        { "?: on a scalar local", "GRAD006", "[Layer] public sealed partial record ScalarLocal([Param] Tensor W, double Scale) { [Forward] public Tensor F(Tensor x) { var big = Scale > 1; return big ? Tanh(x * W) : x; } }", "big" },
        { "?: on five members (32 variants)", "GRAD006", "[Layer] public sealed partial record Many([Param] Tensor W, bool A, bool B, bool C, bool D, bool E) { [Forward] public Tensor F(Tensor x) => (A ? x : -x) * (B ? x : -x) * (C ? x : -x) * (D ? x : -x) * (E ? x : -x) * W; }", "A ? x" },
        { "static forward", "GRAD018", "[Layer] public sealed partial record StaticFwd { [Forward] public static Tensor F(Tensor x) => x * x; }", "F" },
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void Refused_declarations_get_a_GRAD_diagnostic_where_the_problem_is(string name, string id, string source, string at)
    {
        var file = Usings + source;
        var (diagnostics, _, errors) = Run(file);
        var diagnostic = Assert.Single(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.True(id == diagnostic.Id, $"{name}: expected {id}, got {diagnostic}");
        var span = diagnostic.Location.SourceSpan;
        Assert.StartsWith(at, file.Substring(span.Start, span.Length));
        Assert.DoesNotContain(errors, e => e.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true);
        Assert.DoesNotContain("does not resolve", diagnostic.GetMessage());
    }

    [Fact]
    public void Every_diagnostic_help_link_reaches_an_anchor_in_the_guide()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var guide = File.ReadAllText(Path.Combine(root, "docs/declaring-layers.md"));
        // The descriptors are internal to the generator.
        var byId = typeof(Grad.Generators.LayerGenerator).Assembly.GetType("Grad.Generators.Diagnostics")!.GetMethod("ById")!;
        for (int n = 1; n <= 18; n++)
        {
            var id = $"GRAD{n:000}";
            var link = ((DiagnosticDescriptor)byId.Invoke(null, [id])!).HelpLinkUri;
            var anchor = link[(link.IndexOf('#') + 1)..];
            Assert.Contains($"<a id=\"{anchor}\"></a>{id}", guide);
        }
    }

    [Theory]
    [MemberData(nameof(CorrectCases))]
    public void Accepted_declarations_compile_and_compute_the_right_forward_and_gradient(string name, Correct c)
    {
        var assembly = CompileAndLoad(name, Usings + c.Source);
        var type = assembly.GetType(c.Type) ?? throw new InvalidOperationException($"{name}: no type {c.Type}");
        if (type.IsGenericTypeDefinition) type = type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(double)).ToArray());
        var rng = new Rng(13);
        Tensor Random(int[] shape)
        {
            var data = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < data.Length; i++) data[i] = 0.5 + rng.NextDouble();
            return Tensor.FromArray(data, shape);
        }
        var inputs = c.Inputs.Select(Random).ToArray();
        var parameters = c.Params.Select(Random).ToArray();
        var forwardMethod = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Single(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "ForwardAttribute"));
        var forwardParameters = forwardMethod.GetParameters();
        // Only tensor inputs take a gradient; [NoGrad] ones have a null slot in the check.
        var noGrad = forwardParameters.Where(p => p.ParameterType == typeof(Tensor))
            .Select(p => p.GetCustomAttributes().Any(a => a.GetType().Name == "NoGradAttribute")).ToArray();
        var hyper = c.Hyper?.Invoke(assembly) ?? [];
        var constructor = type.GetConstructors().Single(k => k.GetParameters().Length == parameters.Length + hyper.Length
            && k.GetParameters().Take(parameters.Length).All(p => p.ParameterType == typeof(Tensor)));
        object Layer(IReadOnlyList<Tensor> p) => constructor.Invoke(p.Cast<object>().Concat(hyper).ToArray());
        // The forward's arguments in its order: tensors from the inputs, the rest from Scalars.
        object[] Arguments(IEnumerable<Tensor> tensors)
        {
            using var t = tensors.GetEnumerator();
            using var s = (c.Scalars ?? []).AsEnumerable().GetEnumerator();
            return forwardParameters.Select(p => p.ParameterType == typeof(Tensor) ? (t.MoveNext() ? t.Current : null!) : (s.MoveNext() ? s.Current : null!)).ToArray();
        }
        var train = type.GetMethod("Train")!;
        var eval = type.GetMethod("Eval", forwardParameters.Select(p => p.ParameterType).ToArray())!;
        var backward = type.GetMethod("Backward")!;

        using var expected = c.Expected(inputs, parameters);
        var trained = (ITuple)train.Invoke(Layer(parameters), Arguments(inputs))!;
        using (var output = (Tensor)trained[0]!) using ((IDisposable)trained[1]!)
            AssertClose(name + " (train forward)", expected, output);
        using (var output = (Tensor)eval.Invoke(Layer(parameters), Arguments(inputs))!)
            AssertClose(name + " (eval forward)", expected, output);

        var all = inputs.Select((t, i) => new NamedTensor("input" + i, t)).Concat(parameters.Select((t, i) => new NamedTensor("param" + i, t))).ToList();
        var report = GradCheck.Check(
            values => (Tensor)((ITuple)train.Invoke(Layer(values.Skip(inputs.Length).ToList()), Arguments(values.Take(inputs.Length)))!)[0]!,
            (values, cotangent) =>
            {
                var layer = Layer(values.Skip(inputs.Length).ToList());
                var step = (ITuple)train.Invoke(layer, Arguments(values.Take(inputs.Length)))!;
                ((Tensor)step[0]!).Dispose();
                using var tape = (IDisposable)step[1]!;
                var result = backward.Invoke(layer, [tape, cotangent])!;
                var gradients = new List<Tensor?>();
                object gradientLayer;
                if (result is ITuple tuple)
                {
                    int k = 0;
                    foreach (var skip in noGrad) gradients.Add(skip ? null : (Tensor)tuple[k++]!);
                    gradientLayer = tuple[k]!;
                }
                else
                {
                    gradients.AddRange(noGrad.Select(_ => (Tensor?)null));
                    gradientLayer = result;
                }
                var named = ((IEnumerable<NamedTensor>)type.GetMethod("Parameters")!.Invoke(gradientLayer, [""])!).ToList();
                gradients.AddRange(named.Select(n => (Tensor?)n.Value));
                return gradients;
            },
            all);
        Assert.True(report.Passed, $"{name}: {report}");
    }

    /// <summary>Sub-layers whose names are keywords or the generated code's own names (this
    /// corpus builds layers from tensors only, so these are checked to compile).</summary>
    [Fact]
    public void Sub_layers_named_like_keywords_or_generated_locals_compile()
    {
        CompileAndLoad("sub-layers", Usings
            + "[Layer] public sealed partial record Inner([Param] Tensor W) { [Forward] public Tensor F(Tensor x) => Tanh(x * W); }\n"
            + "[Layer] public sealed partial record Outer([Param] Tensor @int, Inner @class, Inner scope) { [Forward] public Tensor F(Tensor tape) => scope.F(@class.F(tape * @int)); }");
    }

    /// <summary>The tape records the condition: a backward run on a copy of the layer with the
    /// flag flipped still follows the branch the forward took.</summary>
    [Fact]
    public void The_backward_follows_the_branch_the_forward_took()
    {
        var type = CompileAndLoad("gate", Usings + FuzzCorpusTests.Gate).GetType("Gate")!;
        using var w = Tensor.FromArray(new[] { 0.5, -1.0, 1.5 }, 3);
        using var x = Tensor.FromArray(new[] { 1.0, 2.0, -0.5 }, 3);
        using var g = Tensor.FromArray(new[] { 0.3, -0.7, 1.1 }, 3);
        object Layer(bool useExp) => Activator.CreateInstance(type, w, useExp)!;
        double[] InputGradient(bool trainedWith, bool backwardWith)
        {
            var step = (ITuple)type.GetMethod("Train")!.Invoke(Layer(trainedWith), [x])!;
            ((Tensor)step[0]!).Dispose();
            using var tape = (IDisposable)step[1]!;
            using var dx = (Tensor)((ITuple)type.GetMethod("Backward")!.Invoke(Layer(backwardWith), [tape, g])!)[0]!;
            return dx.ToArray<double>();
        }

        Assert.Equal(InputGradient(true, true), InputGradient(true, false));
        Assert.Equal(InputGradient(false, false), InputGradient(false, true));
        Assert.NotEqual(InputGradient(true, true), InputGradient(false, false));
    }

    /// <summary>A statistic tracked on one side of a <c>?:</c> is updated only when that side runs.</summary>
    [Fact]
    public void A_State_update_on_the_side_not_taken_does_not_run()
    {
        var type = CompileAndLoad("tracked", Usings + "[Layer] public sealed partial record Tracked([Param] Tensor W, [State] Tensor Running, bool Smooth) "
            + "{ [Forward] public Tensor F(Tensor x) { var m = Smooth ? Track(Running, Mean(x, axis: 0), 0.5) : Mean(x, axis: 0); return (x - m) * W; } }").GetType("Tracked")!;
        using var w = Tensor.FromArray(new[] { 0.5, -1.0 }, 2);
        using var running = Tensor.FromArray(new[] { 0.0, 0.0 }, 2);
        using var x = Tensor.FromArray(new[] { 1.0, 2.0, 3.0, 6.0 }, 2, 2);
        double[] RunningAfterTrain(bool smooth)
        {
            var step = (ITuple)type.GetMethod("Train")!.Invoke(Activator.CreateInstance(type, w, running, smooth), [x])!;
            ((Tensor)step[0]!).Dispose();
            ((IDisposable)step[1]!).Dispose();
            return ((Tensor)type.GetProperty("Running")!.GetValue(step[2])!).ToArray<double>();
        }

        Assert.Equal([1.0, 2.0], RunningAfterTrain(smooth: true)); // 0.5 · 0 + 0.5 · the batch mean (2, 4)
        Assert.Equal([0.0, 0.0], RunningAfterTrain(smooth: false));
    }

    private static void AssertClose(string what, Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-13 * Math.Max(1, Math.Abs(e[i])), $"{what}: element {i} is {a[i]:R}, the hand-written forward gives {e[i]:R}");
    }

    private static Assembly CompileAndLoad(string name, string source)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(source), out var output, out var generatorDiagnostics);
        var crashes = driver.GetRunResult().Diagnostics.Concat(generatorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(crashes.Count == 0, $"{name}: generator reported\n{string.Join("\n", crashes)}");
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var generated = string.Join("\n\n", driver.GetRunResult().GeneratedTrees.Select(t => t.FilePath + ":\n" + t.GetText()));
        Assert.True(emitted.Success, $"{name}: does not compile\n{string.Join("\n", errors)}\n{generated}");
        return Assembly.Load(stream.ToArray());
    }
}
