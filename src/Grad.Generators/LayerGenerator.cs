using System;
using System.Collections.Generic;
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
            var branches = Branches.Of(layer.Forward);
            if (branches.TooMany is { } choice)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UnsupportedExpression, choice.Location?.ToLocation(), choice.Source,
                    $"the forward's conditions make more than {Branches.MaxVariants} variants, and each is a copy of the generated code; "
                    + "compute fewer '?:' on different conditions (one condition chooses between whole sub-layers or locals)"));
                return;
            }
            var fusion = new Fusion.FusionPass(layer);
            var conditions = branches.ConditionNames.Select(c => (c, "bool")).ToList();
            var variants = new List<ForwardVariant>();
            var diagnostics = new List<Model.DiagnosticInfo>();
            foreach (var forward in branches.Variants)
            {
                var reverse = new ReverseMode(layer, forward, layer.Forward);
                var backward = reverse.Differentiate();
                diagnostics.AddRange(reverse.Diagnostics.Where(d => !diagnostics.Contains(d)));
                var fusedBackward = fusion.Fuse(backward);
                var tape = new TapeLayout(forward, fusedBackward, layer.HasManualBackward, conditions);
                variants.Add(new ForwardVariant(Fusion.ForwardFusion.Fuse(forward, tape, fusion), fusedBackward, tape));
            }
            foreach (var d in diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
            if (diagnostics.Count > 0) return;
            var source = new LayerEmitter(layer, layer.Forward, branches, variants, fusion.Kernels, Version).Emit();
            context.AddSource(layer.HintName, source);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.InternalError, Location.None, layer.Name, e.GetType().Name + ": " + e.Message));
        }
    }
}
