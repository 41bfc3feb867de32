using System.Collections.Immutable;
using Grad.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Grad.Tests.Unit.Generator;

/// <summary>Compiles source against Grad.Core and runs the layer generator over it with
/// <see cref="CSharpGeneratorDriver"/>, as the compiler would.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(Tensor).Assembly.Location))
            .ToImmutableArray();
    });

    public const string Usings = "using Grad;\nusing static Grad.Ops;\n";

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("LayersUnderTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview), path: $"Layer{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new LayerGenerator().AsSourceGenerator()],
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true),
        parseOptions: new CSharpParseOptions(LanguageVersion.Preview));

    /// <summary>Runs the generator; returns its diagnostics, the generated sources, and the
    /// diagnostics of compiling the result (so tests can insist the output compiles).</summary>
    public static (ImmutableArray<Diagnostic> Generator, IReadOnlyDictionary<string, string> Sources, ImmutableArray<Diagnostic> Compilation) Run(params string[] sources)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out _);
        var result = driver.GetRunResult();
        var generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (result.Diagnostics, generated, errors);
    }

    /// <summary>One method of a generated file, from its signature line to its closing brace.</summary>
    public static string Method(string source, string signatureStart)
    {
        var lines = source.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith(signatureStart, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no method starting '{signatureStart}' in:\n{source}");
        int end = Array.FindIndex(lines, start, l => l == "    }");
        return string.Join('\n', lines[start..(end + 1)].Select(l => l.Length >= 4 ? l[4..] : l)) + "\n";
    }
}
