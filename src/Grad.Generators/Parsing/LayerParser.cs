using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Parsing;

/// <summary>Turns a [Layer] declaration into a <see cref="LayerSpec"/>: its tensor and
/// sub-layer members, its lowered forward, and the primitives in reach.</summary>
internal static class LayerParser
{
    public static LayerSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var types = new KnownTypes(context.SemanticModel.Compilation);
        var diagnostics = new List<DiagnosticInfo>();
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var name = type.Name;
        var nesting = Kernels.KernelParser.Nesting(type.ContainingType, type.ContainingNamespace);
        var typeName = Kernels.KernelParser.Identifier(name)
            + (type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => p.Name)) + ">");

        if (!type.IsRecord) diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotARecord, declaration.Identifier.GetLocation(), name));
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NotPartial, declaration.Identifier.GetLocation(), name));

        var members = ReadMembers(type, types, diagnostics);
        var forwards = type.GetMembers().OfType<IMethodSymbol>().Where(m => types.Has(m, types.Forward)).ToList();
        bool manualBackward = type.GetMembers().OfType<IMethodSymbol>().Any(m => types.Has(m, types.Backward));
        CheckGeneratedNames(type, types, manualBackward, diagnostics);
        foreach (var f in forwards.Where(f => f.IsStatic))
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedDeclaration, f.Locations.FirstOrDefault(), f.Name,
                "is a static [Forward]; a forward is an instance method of the layer (remove 'static')"));

        ForwardSpec? forward = null;
        var classes = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        if (types.Ops is not null) classes.Add(types.Ops);
        if (forwards.Count != 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.NoForward, declaration.Identifier.GetLocation(), name,
                forwards.Count == 0 ? "has no [Forward] method" : $"has {forwards.Count} [Forward] methods"));
        }
        else if (diagnostics.Count == 0)
        {
            forward = ParseForward(forwards[0], context.SemanticModel.Compilation, types, members, diagnostics, classes, cancellation);
        }

        return new LayerSpec(nesting, name, typeName, Kernels.KernelParser.HintName(type, null, ".Grad.g.cs"), DeclaredNames(type), members.Values.ToEquatableArray(), forward, manualBackward,
            FunctionTable.Build(classes, types), diagnostics.ToEquatableArray(), types.MaxKernelInputs);
    }

    private static ForwardSpec? ParseForward(IMethodSymbol method, Compilation compilation, KnownTypes types,
        IReadOnlyDictionary<string, MemberSpec> members, List<DiagnosticInfo> diagnostics, HashSet<INamedTypeSymbol> classes, CancellationToken cancellation)
    {
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellation)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null) return null;
        var (problem, at) = SignatureProblem(method, types, members);
        if (problem is not null)
        {
            var location = at?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellation).GetLocation() ?? syntax.Identifier.GetLocation();
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.BadForwardSignature, location, method.Name, problem));
            return null;
        }
        var model = compilation.GetSemanticModel(syntax.SyntaxTree);
        var lowering = new ForwardLowering(model, types, method, members);
        var forward = lowering.Lower(syntax);
        diagnostics.AddRange(lowering.Diagnostics);
        classes.UnionWith(lowering.PrimitiveClasses);
        return forward;
    }

    /// <summary>What the generated Train, Eval and Backward cannot take from a forward's signature,
    /// and the parameter it is about (null: the method).</summary>
    private static (string? Problem, IParameterSymbol? At) SignatureProblem(IMethodSymbol method, KnownTypes types, IReadOnlyDictionary<string, MemberSpec> members)
    {
        if (!types.IsTensor(method.ReturnType))
            return ($"returns {method.ReturnType.ToDisplayString()}; a forward returns one Tensor", null);
        foreach (var p in method.Parameters)
        {
            if (p.RefKind != RefKind.None)
                return ($"takes '{p.Name}' by reference; a forward's parameters are passed by value: remove its 'ref', 'in' or 'out'", p);
            if (!types.IsTensor(p.Type) && !ForwardLowering.IsScalar(p.Type))
                return ($"takes '{p.Name}' as {p.Type.ToDisplayString()}; a forward's parameters are Tensors, numbers or bools (bool, int, long, float, double, …): "
                    + $"make '{p.Name}' a member of the record (a hyper-parameter, read as the layer's value in the forward and the backward)", p);
            if (members.ContainsKey(p.Name))
                return ($"takes '{p.Name}', which is also the name of a member of the layer: in the forward the parameter hides the member, and the gradients of the two would be confused; rename the parameter", p);
        }
        return method.Parameters.Any(p => types.IsTensor(p.Type)) ? (null, null) : ("takes no Tensor input; a forward takes at least one Tensor", null);
    }

    /// <summary>Members the generator writes into every layer; a user member of the same name
    /// (a nested <c>Tape</c>, an <c>Eval(Tensor)</c>) would clash with them.</summary>
    private static readonly string[] GeneratedMembers =
        { "Tape", "Train", "Eval", "Backward", "DerivedBackward", "BackwardParameters", "Parameters", "States", "MapParameters", "MapStates", "ZipParameters" };

    private static void CheckGeneratedNames(INamedTypeSymbol type, KnownTypes types, bool manualBackward, List<DiagnosticInfo> diagnostics)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || System.Array.IndexOf(GeneratedMembers, member.Name) < 0) continue;
            // A hand-written [Backward] is meant to be called Backward (and its BackwardParameters
            // overload may sit beside it); the generator then writes DerivedBackward instead.
            if (member is IMethodSymbol method && manualBackward && (types.Has(method, types.Backward) || method.Name == "Backward")) continue;
            if (member is IMethodSymbol { MethodKind: not MethodKind.Ordinary }) continue;
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GeneratedNameTaken, member.Locations.FirstOrDefault(), type.Name, member.Name,
                "the tape, the training and eval forwards, the backward and the parameter traversal"));
        }
    }

    private static EquatableArray<string> DeclaredNames(INamedTypeSymbol type)
    {
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        for (var t = type; t is not null; t = t.BaseType)
            foreach (var m in t.GetMembers()) names.Add(m.Name);
        foreach (var c in type.InstanceConstructors)
            foreach (var p in c.Parameters) names.Add(p.Name);
        return names.ToEquatableArray();
    }

    /// <summary>[Param] and [State] tensors and sub-layers, from the primary constructor and
    /// from declared properties, in declaration order (the order of names in checkpoints).</summary>
    private static Dictionary<string, MemberSpec> ReadMembers(INamedTypeSymbol type, KnownTypes types, List<DiagnosticInfo> diagnostics)
    {
        var members = new Dictionary<string, MemberSpec>();
        var candidates = new List<ISymbol>();
        var primary = type.InstanceConstructors.FirstOrDefault(c => c.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax));
        if (primary is not null) candidates.AddRange(primary.Parameters);
        candidates.AddRange(type.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsImplicitlyDeclared && !p.IsStatic));

        foreach (var field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsImplicitlyDeclared && !f.IsStatic))
        {
            var what = types.Has(field, types.Param) ? "a [Param] field" : types.Has(field, types.State) ? "a [State] field"
                : types.IsLayerType(field.Type) ? "a sub-layer in a field" : null;
            if (what is not null)
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedDeclaration, field.Locations.FirstOrDefault(), field.Name,
                    $"is {what}; the generator reads tensors and sub-layers from properties and primary constructor parameters: declare it as a property '{{ get; init; }}' or a constructor parameter"));
        }
        foreach (var symbol in candidates)
        {
            if (members.ContainsKey(symbol.Name)) continue;
            var memberType = symbol switch { IParameterSymbol p => p.Type, IPropertySymbol p => p.Type, _ => null };
            var kind = types.Has(symbol, types.Param) ? MemberKind.Param
                : types.Has(symbol, types.State) ? MemberKind.State
                : types.IsLayerType(memberType) ? MemberKind.Layer
                : (MemberKind?)null;
            if (kind is null || memberType is null) continue;
            if (kind != MemberKind.Layer && !types.IsTensor(memberType))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.MemberNotTensor, symbol.Locations.FirstOrDefault(), symbol.Name,
                    kind.Value.ToString(), memberType.ToDisplayString()));
                continue;
            }
            if (symbol is IPropertySymbol { SetMethod: null } readOnly)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedDeclaration, readOnly.Locations.FirstOrDefault(), symbol.Name,
                    $"is a [{kind}] property without a 'set' or 'init' accessor; the generated gradient and parameter updates replace it with 'with {{ {symbol.Name} = ... }}': declare it '{{ get; init; }}'"));
                continue;
            }
            members[symbol.Name] = new MemberSpec(symbol.Name, kind.Value, memberType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        }
        return members;
    }
}
