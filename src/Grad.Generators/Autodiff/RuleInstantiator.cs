using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Turns a derivative rule's C# text into an expression over the values of one call site:
/// <c>g</c> becomes the call's adjoint, <c>result</c> its output, and each parameter name the
/// argument passed for it. Tensor-valued parts become <see cref="Call"/>s the simplifier
/// understands; number-valued parts stay C# text with the call's values as holes.
/// </summary>
internal sealed class RuleInstantiator
{
    private readonly PrimitiveTable _table;
    private readonly IReadOnlyDictionary<string, FunctionInfo> _functions;
    private readonly IReadOnlyDictionary<string, Expr> _scope;

    public RuleInstantiator(PrimitiveTable table, IReadOnlyDictionary<string, Expr> scope)
    {
        _table = table;
        _functions = table.Functions;
        _scope = scope;
    }

    /// <summary>The rule as an expression, or an error message saying why it cannot be read.</summary>
    public Expr Instantiate(string formula) => Convert(RuleException.Parse(formula));

    private Expr Convert(ExpressionSyntax syntax)
    {
        if (!IsTensor(syntax)) return Scalar(syntax);
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Convert(p.Expression);
            case IdentifierNameSyntax id:
                return _scope[id.Identifier.ValueText];
            case BinaryExpressionSyntax b:
                return new Call(Operator(b.OperatorToken.ValueText, 2), Convert(b.Left), Convert(b.Right));
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return new Call(Operator("-", 1), Convert(minus.Operand));
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } call:
                return new Call(name.Identifier.ValueText, call.ArgumentList.Arguments
                    .Select(a => new Arg(a.NameColon?.Name.Identifier.ValueText, Convert(a.Expression))).ToEquatableArray());
            default:
                throw new RuleException($"'{syntax}' is tensor-valued but is not an operator, a call or a name");
        }
    }

    private string Operator(string op, int arity) =>
        _table.Implementing(op, arity) ?? throw new RuleException($"no primitive declares Operator = \"{op}\" on {arity} tensor(s)");

    private bool IsTensor(ExpressionSyntax syntax) => syntax switch
    {
        ParenthesizedExpressionSyntax p => IsTensor(p.Expression),
        IdentifierNameSyntax id => _scope.TryGetValue(id.Identifier.ValueText, out var e) && e is TensorRef or Call,
        BinaryExpressionSyntax b => IsTensor(b.Left) || IsTensor(b.Right),
        PrefixUnaryExpressionSyntax u => IsTensor(u.Operand),
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } =>
            _functions.TryGetValue(name.Identifier.ValueText, out var f)
                ? f.ReturnsTensor
                : throw new RuleException($"'{name}' is not a public static function of Grad.Ops or of the primitive's class"),
        _ => false,
    };

    /// <summary>A number-valued part: its text, with the call's values (scalar arguments and
    /// tensor shapes) as holes.</summary>
    private Expr Scalar(ExpressionSyntax syntax)
    {
        var holes = new List<Expr>();
        var text = new StringBuilder();
        int position = syntax.SpanStart;
        foreach (var id in syntax.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (id.SpanStart < position || !_scope.TryGetValue(id.Identifier.ValueText, out var value)) continue;
            if (id.Parent is MemberAccessExpressionSyntax access && access.Name == id) continue;
            SyntaxNode replaced = id;
            if (value is TensorRef tensor)
            {
                if (id.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Shape" } shape)
                    throw new RuleException($"the tensor '{id}' is used as a number; only its '.Shape' can be read there");
                value = new ShapeOf(tensor.Name);
                replaced = shape;
            }
            else if (value is not ScalarExpr and not ScalarRef and not ShapeOf)
            {
                throw new RuleException($"'{id}' is a computed tensor and cannot be used as a number");
            }
            text.Append(Escape(syntax.ToString().Substring(position - syntax.SpanStart, replaced.SpanStart - position)));
            text.Append('{').Append(holes.Count).Append('}');
            holes.Add(value);
            position = replaced.Span.End;
        }
        text.Append(Escape(syntax.ToString().Substring(position - syntax.SpanStart)));
        // A bare parameter (`x.Shape`, `axis`) is the value itself, not text around it.
        return text.ToString() == "{0}" ? holes[0] : new ScalarExpr(text.ToString(), holes.ToEquatableArray());
    }

    private static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
}

/// <summary>A derivative rule that cannot be used; becomes diagnostic GRAD010.</summary>
internal sealed class RuleException(string message) : Exception(message)
{
    /// <summary>A formula's C# syntax, or the reason it has none.</summary>
    public static ExpressionSyntax Parse(string formula)
    {
        var syntax = SyntaxFactory.ParseExpression(formula);
        var errors = syntax.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new RuleException("it is not a C# expression (" + errors[0].GetMessage() + ")");
        return syntax;
    }
}
