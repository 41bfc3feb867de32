using System.Collections.Generic;
using System.Linq;
using System.Text;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Grad.Generators.Parsing;

internal sealed partial class ForwardLowering
{
    private Expr LowerInvocation(InvocationExpressionSyntax invocation, string? bindAs)
    {
        if (_model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol method)
            return Unsupported(invocation, Unresolved(invocation));
        if (method.IsStatic && _types.IsTensor(method.ContainingType))
            return Unsupported(invocation, Factory(method.Name));

        if (method.IsStatic && FunctionTable.ReadPrimitive(method, _types) is { } primitive)
        {
            if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, _types.Ops)) PrimitiveClasses.Add(method.ContainingType);
            return Bind(new Call(method.Name, LowerArguments(invocation).ToEquatableArray()), bindAs, invocation, primitive);
        }
        if (!method.IsStatic && _types.IsTensor(method.ContainingType) && invocation.Expression is MemberAccessExpressionSyntax tensorAccess)
            return LowerTensorMethod(invocation, method, tensorAccess, bindAs);
        if (!method.IsStatic && _types.Has(method, _types.Forward) && _types.IsLayerType(method.ContainingType)
            && invocation.Expression is MemberAccessExpressionSyntax layerAccess
            && _model.GetSymbolInfo(layerAccess.Expression).Symbol is { } receiver
            && _members.TryGetValue(receiver.Name, out var member) && member.Kind == MemberKind.Layer)
        {
            if (!_calledLayers.Add(member.Name))
            {
                Report(Generators.Diagnostics.LayerCalledTwice, invocation.GetLocation(), member.Name);
                return new TensorRef("<error>");
            }
            // In the sub-layer forward's parameter order (named arguments may come in any order).
            var arguments = ((IInvocationOperation)_model.GetOperation(invocation)!).Arguments.OrderBy(a => a.Parameter!.Ordinal);
            var inputs = arguments.Select(a => a.ArgumentKind == ArgumentKind.DefaultValue
                ? new ScalarExpr(FunctionTable.DefaultText(a.Parameter!) ?? "default")
                : LowerOperand((ExpressionSyntax)a.Value.Syntax)).ToEquatableArray();
            var withGradient = method.Parameters.Select(p => _types.IsTensor(p.Type) && !_types.Has(p, _types.NoGrad)).ToEquatableArray();
            return Bind(new LayerCall(member.Name, member.TypeName, inputs, withGradient), bindAs, invocation, null);
        }
        Report(Generators.Diagnostics.NoDerivativeRule, invocation.GetLocation(), method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat));
        return new TensorRef("<error>");
    }

    /// <summary>Why a call the compiler could not bind is no primitive (the compiler reports the
    /// call too; this says what to write instead).</summary>
    private string Unresolved(InvocationExpressionSyntax invocation)
    {
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            var other => other.ToString(),
        };
        var info = _model.GetSymbolInfo(invocation);
        if (info.CandidateSymbols.Length > 0)
            return $"no overload of '{name}' takes these arguments ({info.CandidateReason}); the compiler's error on this call names the argument";
        if (_types.Tensor?.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsStatic) == true)
            return $"'{name}' is not in scope here (Grad.Ops has no '{name}'), and Tensor.{name} would not help: " + Factory(name);
        return $"'{name}' is not a method in scope; the compiler's error on this call says why";
    }

    /// <summary>Why a Tensor factory (Tensor.Full, Tensor.Zeros…) does not belong in a forward.</summary>
    private static string Factory(string name) =>
        $"Tensor.{name} makes a tensor whose dtype and device come from its arguments, not from the forward's inputs (the layer would break on another dtype or device); "
        + "make the constant from an input, e.g. 'Zeros([4, 5], x) + 1.0' (Ops.Zeros takes x's dtype and device), or hold it in a [State] member";

    /// <summary>Arguments in the primitive's parameter order, defaults filled in, so that rules
    /// can name any parameter (and the call can be printed positionally).</summary>
    private IEnumerable<Arg> LowerArguments(InvocationExpressionSyntax invocation)
    {
        if (_model.GetOperation(invocation) is not IInvocationOperation operation) yield break;
        foreach (var argument in operation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            var parameter = argument.Parameter!;
            Expr value;
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                value = new ScalarExpr(FunctionTable.ReadPrimitive((IMethodSymbol)parameter.ContainingSymbol, _types)!.Params[parameter.Ordinal].DefaultValue ?? "default");
            else if (argument.ArgumentKind == ArgumentKind.ParamArray)
                value = new ScalarExpr("[" + string.Join(", ", invocation.ArgumentList.Arguments.Skip(parameter.Ordinal).Select(a => a.Expression.ToString())) + "]");
            else if (_types.IsTensor(parameter.Type))
                value = LowerTensor((ExpressionSyntax)argument.Value.Syntax, null);
            else
                value = LowerScalar((ExpressionSyntax)argument.Value.Syntax);
            yield return new Arg(null, value);
        }
    }

    private Expr LowerTensorMethod(InvocationExpressionSyntax invocation, IMethodSymbol method, MemberAccessExpressionSyntax access, string? bindAs) =>
        LowerTensorMember(method, access, invocation.ArgumentList.Arguments.Select(a => a.Expression).ToList(), invocation, bindAs);

    /// <summary>A Tensor member marked [AsPrimitive] (<c>x.T</c>, <c>x.Reshape(…)</c>) is that
    /// Grad.Ops primitive of the receiver, its arguments (if any) passed as one list or shape.</summary>
    private Expr LowerTensorMember(ISymbol member, MemberAccessExpressionSyntax access, List<ExpressionSyntax> args, SyntaxNode syntax, string? bindAs)
    {
        var name = _types.Find(member, _types.AsPrimitive)?.ConstructorArguments.FirstOrDefault().Value as string;
        int parameters = args.Count == 0 ? 1 : 2;
        var method = name is null ? null : _types.Ops?.GetMembers(name).OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.Parameters.Length == parameters && _types.IsTensor(m.Parameters[0].Type));
        if (method is null || FunctionTable.ReadPrimitive(method, _types) is not { } primitive)
            return Unsupported(syntax, $"Tensor.{member.Name} is not a primitive here; the differentiable tensor members are those marked [AsPrimitive], such as T, Transpose(), Reshape(…) and Flatten()");
        var receiver = LowerTensor(access.Expression, null);
        var call = args.Count == 0 ? new Call(method.Name, receiver) : new Call(method.Name, receiver, LowerScalarList(args));
        return Bind(call, bindAs, syntax, primitive);
    }

    private Expr LowerScalarList(List<ExpressionSyntax> items)
    {
        // One argument that is not a single dimension is the whole shape (a Shape or an int[]).
        if (items.Count == 1 && _model.GetTypeInfo(items[0]).Type is { SpecialType: not SpecialType.System_Int32 }) return LowerScalar(items[0]);
        var parts = items.Select(LowerScalar).ToList();
        var holes = new List<Expr>();
        var text = "[" + string.Join(", ", parts.Select(p => Shift(p, holes))) + "]";
        return new ScalarExpr(text, holes.ToEquatableArray());
    }

    private static string Shift(ScalarExpr part, List<Expr> holes)
    {
        var text = part.Text;
        for (int i = part.Holes.Count - 1; i >= 0; i--) text = text.Replace("{" + i + "}", "{" + (holes.Count + i) + "}");
        holes.AddRange(part.Holes);
        return text;
    }

    /// <summary>
    /// A non-tensor expression, kept as C# text. The forward values it reads become holes:
    /// <c>x.Shape</c> of a tensor input or local, and scalar locals. Hyper-parameters and
    /// literals stay text, since the backward runs on the same layer instance.
    /// </summary>
    private ScalarExpr LowerScalar(ExpressionSyntax syntax)
    {
        var holes = new List<Expr>();
        var text = new StringBuilder();
        int position = syntax.SpanStart;
        foreach (var identifier in syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            var symbol = _model.GetSymbolInfo(identifier).Symbol;
            Expr? hole = symbol switch
            {
                IParameterSymbol p when SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, _forward) =>
                    _types.IsTensor(p.Type) ? new TensorRef(p.Name) : new ScalarRef(p.Name),
                ILocalSymbol l when _locals.TryGetValue(l, out var value) => value,
                _ => null,
            };
            if (hole is null)
            {
                // A type or a static member named through the user's usings is written out in
                // full: the generated file does not have the user's usings.
                if (QualifiedName(identifier, symbol) is not { } qualified) continue;
                text.Append(Escape(syntax.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(position, identifier.SpanStart))));
                text.Append(Escape(qualified));
                position = identifier.Span.End;
                continue;
            }

            SyntaxNode replaced = identifier;
            if (hole is TensorRef tensor)
            {
                if (identifier.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Shape" } shapeAccess || shapeAccess.Expression != identifier)
                {
                    Report(Generators.Diagnostics.UnsupportedExpression, identifier.GetLocation(), syntax.ToString(),
                        $"a tensor ('{identifier}') is used as a number; only its '.Shape' can be read in a scalar expression");
                    continue;
                }
                hole = new ShapeOf(tensor.Name);
                replaced = shapeAccess;
            }
            text.Append(Escape(syntax.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(position, replaced.SpanStart))));
            text.Append('{').Append(holes.Count).Append('}');
            holes.Add(hole);
            position = replaced.Span.End;
        }
        text.Append(Escape(syntax.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(position, syntax.Span.End))));
        return new ScalarExpr(text.ToString(), holes.ToEquatableArray());
    }

    /// <summary>The fully qualified name of a type, or of a static member of another type, that an
    /// identifier names on its own (not after a dot); null for anything else.</summary>
    private string? QualifiedName(IdentifierNameSyntax identifier, ISymbol? symbol)
    {
        if (identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier) return null;
        return symbol switch
        {
            INamedTypeSymbol type => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            { IsStatic: true, ContainingType: { } owner } when symbol is IFieldSymbol or IPropertySymbol
                && !SymbolEqualityComparer.Default.Equals(owner, _forward.ContainingType) =>
                owner.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + symbol.Name,
            _ => null,
        };
    }

    private static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
