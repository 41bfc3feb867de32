using System;
using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Fusion;
using Grad.Generators.Model;
using Grad.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Kernels;

/// <summary>Reads element-wise kernels declared by formula into <see cref="KernelSpec"/>s.</summary>
internal static class KernelParser
{
    /// <summary>A <c>[Primitive(Element = …)]</c> partial method without a body, or null for any
    /// other [Primitive] (hand-written primitives are only read, never written).</summary>
    public static KernelSpec? ParsePrimitive(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetNode is not MethodDeclarationSyntax syntax || context.TargetSymbol is not IMethodSymbol method) return null;
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || method.PartialDefinitionPart is not null) return null;
        if (syntax.Body is not null || syntax.ExpressionBody is not null) return null;

        var types = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var location = syntax.Identifier.GetLocation();
        var formula = context.Attributes[0].NamedArguments.FirstOrDefault(a => a.Key == "Element").Value.Value as string;
        if (formula is null)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.PartialWithoutFormula, location, method.Name));

        var tensors = new List<string>();
        var scalars = new List<string>();
        var bound = new Dictionary<string, ElementExpr>();
        foreach (var p in method.Parameters)
        {
            if (types.IsTensor(p.Type)) bound[p.Name] = new ElementInput(Add(tensors, p.Name));
            else if (p.Type.SpecialType == SpecialType.System_Double) bound[p.Name] = new ElementScalar(Add(scalars, p.Name));
            else diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadKernelSignature, p.Locations.FirstOrDefault(), method.Name,
                $"parameter '{p.Name}' is a {p.Type.ToDisplayString()}; an element-wise primitive takes Tensors and doubles"));
        }
        if (!types.IsTensor(method.ReturnType) || tensors.Count == 0 || tensors.Count > types.MaxKernelInputs)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadKernelSignature, location, method.Name,
                $"an element-wise primitive returns a Tensor and takes 1 to {types.MaxKernelInputs} Tensors"));

        var program = diagnostics.Count == 0 ? ParseFormula(formula!, bound, context.Attributes[0], location, diagnostics) : null;
        if (program is not null && program.Outputs.Count != 1)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadFormula, location, method.Name, formula!, "a primitive's Element formula has one result"));

        var overloaded = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(m => types.Has(m, types.Primitive)) > 1;
        var suffix = overloaded ? "_" + string.Join("_", method.Parameters.Select(p => p.Type.Name)) : "";
        var className = method.Name + "Kernel" + suffix;
        var parameters = string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + " " + Identifier(p.Name)));
        var signature = $"{SyntaxFacts.GetText(method.DeclaredAccessibility)} static partial {method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)} {method.Name}({parameters})";
        return new KernelSpec(Nesting(method.ContainingType), HintName(method.ContainingType, method.Name + suffix), className, method.Name,
            tensors.Count, scalars.Count, program, new PrimitiveMethod(signature, tensors.Select(Identifier).ToEquatableArray(), scalars.Select(Identifier).ToEquatableArray()),
            formula ?? "", diagnostics.ToEquatableArray());
    }

    /// <summary>A partial class marked <c>[Elementwise(formula, Inputs = …, Scalars = …)]</c>.</summary>
    public static KernelSpec ParseDeclared(GeneratorAttributeSyntaxContext context)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        var types = new KnownTypes(context.SemanticModel.Compilation);
        var attribute = context.Attributes[0];
        var location = syntax.Identifier.GetLocation();
        var diagnostics = new List<DiagnosticInfo>();
        var formula = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        var inputs = Names(attribute, "Inputs");
        var scalars = Names(attribute, "Scalars");

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword) || !DerivesFrom(type, types.ElementwiseKernel))
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadKernelSignature, location, type.Name,
                "a declared kernel is a 'partial class' deriving from Grad.Fusion.ElementwiseKernel"));
        if (inputs.Count == 0 || inputs.Count > types.MaxKernelInputs)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadKernelSignature, location, type.Name,
                $"a kernel reads 1 to {types.MaxKernelInputs} Inputs"));

        var bound = new Dictionary<string, ElementExpr>();
        for (int k = 0; k < inputs.Count; k++) bound[inputs[k]] = new ElementInput(k);
        for (int k = 0; k < scalars.Count; k++) bound[scalars[k]] = new ElementScalar(k);
        var program = diagnostics.Count == 0 ? ParseFormula(formula, bound, attribute, location, diagnostics) : null;
        if (program is not null && program.Outputs.Count > types.MaxKernelOutputs)
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadFormula, location, type.Name, formula,
                $"a kernel writes at most {types.MaxKernelOutputs} outputs"));

        return new KernelSpec(Nesting(type.ContainingType, type.ContainingNamespace), HintName(type, null), type.Name, type.Name,
            inputs.Count, scalars.Count, program, null, formula, diagnostics.ToEquatableArray());
    }

    private static ElementProgram? ParseFormula(string formula, Dictionary<string, ElementExpr> bound, AttributeData attribute,
        Location location, List<DiagnosticInfo> diagnostics)
    {
        try
        {
            return ElementParser.ParseProgram(formula, bound);
        }
        catch (FormatException e)
        {
            var at = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? location;
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadFormula, at, Owner(attribute), formula, e.Message));
            return null;
        }
    }

    private static string Owner(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().FirstAncestorOrSelf<MemberDeclarationSyntax>() switch
        {
            MethodDeclarationSyntax m => m.Identifier.ValueText,
            BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
            _ => "?",
        };

    private static List<string> Names(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value is { Kind: TypedConstantKind.Array } array
            ? array.Values.Select(v => v.Value as string ?? "").ToList()
            : new List<string>();

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, baseType)) return true;
        return false;
    }

    private static int Add(List<string> names, string name)
    {
        names.Add(name);
        return names.Count - 1;
    }

    /// <summary>The containing types of generated members, outermost first, each re-declared as a
    /// partial of the same kind with its type parameters.</summary>
    internal static TypeNesting Nesting(INamedTypeSymbol? type, INamespaceSymbol? ns = null)
    {
        var declarations = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var kind = t.IsRecord ? (t.IsValueType ? "record struct" : "record") : t.TypeKind switch
            {
                TypeKind.Struct => "struct",
                TypeKind.Interface => "interface",
                _ => "class",
            };
            var parameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            declarations.Insert(0, $"partial {kind} {Identifier(t.Name)}{parameters}");
            ns ??= t.ContainingNamespace;
        }
        return new TypeNesting(ns is null || ns.IsGlobalNamespace ? null : ns.ToDisplayString(), declarations.ToEquatableArray());
    }

    /// <summary>A file name unique to the type: fully qualified, with its containing types and
    /// type parameters (<c>A.Lin</c> and <c>B.Lin</c>, <c>Pair</c> and <c>Pair_T_</c>).</summary>
    internal static string HintName(INamedTypeSymbol type, string? member, string suffix = ".Kernel.g.cs")
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        var safe = new string((name + (member is null ? "" : "." + member)).Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_' ? ch : '_').ToArray());
        return safe + suffix;
    }

    internal static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
