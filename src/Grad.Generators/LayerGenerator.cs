using System;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Emit;
using Grad.Generators.Model;
using Grad.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Grad.Generators;

/// <summary>
/// Differentiates the [Forward] of every [Layer] record and emits its training forward, eval
/// forward, backward and parameter traversal. The pipeline's model is plain equatable data, so
/// an edit that does not change a layer's model reuses its generated source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LayerGenerator : IIncrementalGenerator
{
    public const string ParseStep = "Parse";
    private static readonly string Version = typeof(LayerGenerator).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var layers = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownTypes.LayerAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax,
                static (ctx, ct) => LayerParser.Parse(ctx, ct))
            .WithTrackingName(ParseStep);

        context.RegisterSourceOutput(layers, static (spc, layer) => Generate(spc, layer));
    }

    private static void Generate(SourceProductionContext context, LayerSpec layer)
    {
        foreach (var d in layer.Diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
        if (layer.Diagnostics.Count > 0 || layer.Forward is null) return;
        try
        {
            var reverse = new ReverseMode(layer, layer.Forward);
            var backward = reverse.Differentiate();
            foreach (var d in reverse.Diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
            if (reverse.Diagnostics.Count > 0) return;
            var fusion = new Fusion.FusionPass(layer);
            var fusedBackward = fusion.Fuse(backward);
            var tape = new TapeLayout(layer.Forward, fusedBackward, layer.HasManualBackward);
            var fusedForward = Fusion.ForwardFusion.Fuse(layer.Forward, tape, fusion);
            var source = new LayerEmitter(layer, fusedForward, fusedBackward, tape, fusion.Kernels, Version).Emit();
            context.AddSource(layer.HintName, source);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.InternalError, Location.None, layer.Name, e.GetType().Name + ": " + e.Message));
        }
    }
}
