using static Grad.Tests.Unit.Generator.GeneratorHarness;

namespace Grad.Tests.Unit.Generator;

/// <summary>Everything the generator cannot differentiate is a GRAD diagnostic at the offending
/// syntax, never a crash and never generated code.</summary>
public class DiagnosticTests
{
    public static readonly TheoryData<string, string, string> Cases = new()
    {
        { "GRAD001", "[Layer] public sealed partial class NotARecord { [Forward] public Tensor F(Tensor x) => x; }", "NotARecord" },
        { "GRAD002", "[Layer] public sealed record NotPartial { [Forward] public Tensor F(Tensor x) => x; }", "NotPartial" },
        { "GRAD003", "[Layer] public sealed partial record NoForward { public Tensor F(Tensor x) => x; }", "NoForward" },
        { "GRAD004", "[Layer] public sealed partial record Opaque { static Tensor Mystery(Tensor t) => t; [Forward] public Tensor F(Tensor x) => Mystery(x); }", "Mystery(x)" },
        { "GRAD005", "[Layer] public sealed partial record Loop { [Forward] public Tensor F(Tensor x) { var y = x; for (int i = 0; i < 2; i++) { } return y; } }", "for (int i" },
        { "GRAD006", "[Layer] public sealed partial record Switch(bool Flag) { [Forward] public Tensor F(Tensor x) => Flag switch { true => x, _ => -x }; }", "Flag switch" },
        { "GRAD007", "[Layer] public sealed partial record NoInput([Param] Tensor W) { [Forward] public Tensor F(int n) => W; }", "F" },
        { "GRAD008", "[Layer] public sealed partial record BadParam([Param] double W) { [Forward] public Tensor F(Tensor x) => x; }", "W" },
        { "GRAD009", "[Layer] public sealed partial record Mutates { Tensor? _last; [Forward] public Tensor F(Tensor x) { _last = x; return x; } }", "_last = x" },
        { "GRAD011", "public static class MyOps { [Primitive] public static Tensor Half(Tensor x) => x * 0.5; }\n[Layer] public sealed partial record UsesHalf { [Forward] public Tensor F(Tensor x) => MyOps.Half(x); }", "MyOps.Half(x)" },
        { "GRAD010", "public static class MyOps { [Primitive, Derivative(\"x\", \"g * Nonsense(x)\")] public static Tensor Odd(Tensor x) => x; }\n[Layer] public sealed partial record UsesOdd { [Forward] public Tensor F(Tensor x) => MyOps.Odd(x); }", "MyOps.Odd(x)" },
        { "GRAD012", "[Layer] public sealed partial record Twice(Grad.Layers.Linear L) { [Forward] public Tensor F(Tensor x) => L.Forward(L.Forward(x)); }", "L.Forward(x)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_unsupported_form_is_reported_where_it_is(string id, string source, string at)
    {
        var file = Usings + source;
        var (diagnostics, sources, _) = Run(file);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        // Locations travel through the cached pipeline as path + span.
        Assert.Equal("Layer0.cs", diagnostic.Location.GetLineSpan().Path);
        var span = diagnostic.Location.SourceSpan;
        Assert.StartsWith(at, file.Substring(span.Start, span.Length));
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage()));
        Assert.Empty(sources);
    }

    [Fact]
    public void Messages_say_how_to_fix_the_problem()
    {
        var (diagnostics, _, _) = Run(Usings + "[Layer] public sealed record NotPartial { [Forward] public Tensor F(Tensor x) => x; }");
        Assert.Contains("partial", diagnostics.Single().GetMessage());
        (diagnostics, _, _) = Run(Usings + "[Layer] public sealed partial record Loop { [Forward] public Tensor F(Tensor x) { while (true) { } } }");
        Assert.Contains("'var' locals", diagnostics.First().GetMessage());
    }

    [Fact]
    public void Every_diagnostic_is_listed_in_the_release_tracking_file()
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var unshipped = File.ReadAllText(Path.Combine(root, "src/Grad.Generators/AnalyzerReleases.Unshipped.md"));
        foreach (var id in Cases.Select(c => (string)c[0]).Append("GRAD013"))
            Assert.Contains(id + " |", unshipped);
    }
}
