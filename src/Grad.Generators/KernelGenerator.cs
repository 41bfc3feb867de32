using Grad.Generators.Kernels;
using Grad.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators;

/// <summary>
/// Writes element-wise kernels from their formulas: the body of every partial
/// <c>[Primitive(Element = …)]</c> method (a one-operation kernel) and the members of every
/// partial class marked <c>[Elementwise]</c> (an optimiser's update, say). Each kernel gets its
/// C# row loop and its OpenCL C from the one formula.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelGenerator : IIncrementalGenerator
{
    private static readonly string Version = typeof(KernelGenerator).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var primitives = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownTypes.PrimitiveAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => KernelParser.ParsePrimitive(ctx))
            .Where(static k => k is not null);
        var declared = context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownTypes.ElementwiseAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (ctx, _) => KernelParser.ParseDeclared(ctx));

        context.RegisterSourceOutput(primitives, static (spc, kernel) => Generate(spc, kernel!));
        context.RegisterSourceOutput(declared, static (spc, kernel) => Generate(spc, kernel));
    }

    private static void Generate(SourceProductionContext context, KernelSpec kernel)
    {
        foreach (var d in kernel.Diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
        if (kernel.Diagnostics.Count > 0 || kernel.Program is null) return;
        context.AddSource(kernel.HintName, KernelEmitter.Emit(kernel, Version));
    }
}
