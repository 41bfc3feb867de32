using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Autodiff;

/// <summary>
/// The identities primitives declare with [Rewrite(pattern, replacement)], read into patterns
/// and applied to backward expressions. In a pattern a lower-case name matches any expression
/// (the same one wherever it recurs), <c>F(…)</c> and the operators match calls of the
/// primitives they name, and <c>e.Shape</c> matches the shape of a value that provably has
/// e's shape, or that is the parameter view <c>e</c>.
/// </summary>
internal sealed class RewriteRules
{
    private abstract record Pattern;
    private sealed record Variable(string Name) : Pattern;
    private sealed record Number(double Value) : Pattern;
    private sealed record Applied(string Function, IReadOnlyList<Pattern> Args) : Pattern;
    private sealed record ShapeOfPattern(Pattern Of) : Pattern;

    private readonly List<(Applied Pattern, Pattern Replacement)> _rules = new();
    private readonly PrimitiveTable _table;
    private readonly IReadOnlyDictionary<string, Call> _views;
    private readonly ShapeInference _shapes;

    public RewriteRules(PrimitiveTable table, IReadOnlyDictionary<string, Call> views, ShapeInference shapes)
    {
        _table = table;
        _views = views;
        _shapes = shapes;
        foreach (var (primitive, rewrite) in table.Rewrites)
        {
            try
            {
                if (Parse(rewrite.Pattern) is not Applied pattern) throw new RuleException("a pattern must be a call or an operator");
                _rules.Add((pattern, Parse(rewrite.Replacement)));
            }
            catch (RuleException e)
            {
                Diagnostics.Add(new DiagnosticInfo(Generators.Diagnostics.BadRule.Id, null,
                    EquatableArray.Of(primitive, rewrite.Pattern + " => " + rewrite.Replacement, e.Message)));
            }
        }
    }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>The first declared rewrite of <paramref name="call"/>, or null.</summary>
    public Expr? Apply(Call call)
    {
        foreach (var (pattern, replacement) in _rules)
        {
            var bound = new Dictionary<string, Expr>();
            if (pattern.Function == call.Function && Match(pattern, call, bound) && Build(replacement, bound) is { } result) return result;
        }
        return null;
    }

    private bool Match(Pattern pattern, Expr e, Dictionary<string, Expr> bound)
    {
        switch (pattern)
        {
            case Variable v when bound.TryGetValue(v.Name, out var value):
                return value.Equals(e);
            case Variable v:
                bound[v.Name] = e;
                return true;
            case Number n:
                return e is ScalarExpr { Number: { } value2 } && value2 == n.Value;
            case Applied a:
                return e is Call c && c.Function == a.Function && c.Args.Count == a.Args.Count
                       && a.Args.Select((p, i) => Match(p, c[i], bound)).All(x => x);
            case ShapeOfPattern s when ShapeInference.ShapeTarget(e) is { } target:
                if (Build(s.Of, bound) is { } known)
                    return _shapes.Of(new TensorRef(target.Tensor)).Equals(_shapes.Of(known));
                return s.Of is not Variable && _views.TryGetValue(target.Tensor, out var view)
                    ? Match(s.Of, view, bound)
                    : Match(s.Of, new TensorRef(target.Tensor), bound);
            default:
                return false;
        }
    }

    private static Expr? Build(Pattern pattern, IReadOnlyDictionary<string, Expr> bound)
    {
        switch (pattern)
        {
            case Variable v:
                return bound.TryGetValue(v.Name, out var value) ? value : null;
            case Number n:
                return new ScalarExpr(n.Value.ToString("R", CultureInfo.InvariantCulture));
            case Applied a:
                var args = a.Args.Select(p => Build(p, bound)).ToList();
                return args.Any(x => x is null) ? null : new Call(a.Function, args.Select(x => x!).ToArray());
            case ShapeOfPattern s:
                return Build(s.Of, bound) is TensorRef t ? new ShapeOf(t.Name) : null;
            default:
                return null;
        }
    }

    private Pattern Parse(string text) => Convert(RuleException.Parse(text));

    private Pattern Convert(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Convert(p.Expression);
            case IdentifierNameSyntax id when char.IsLower(id.Identifier.ValueText[0]):
                return new Variable(id.Identifier.ValueText);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return new Number(System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture));
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Shape" } shape:
                return new ShapeOfPattern(Convert(shape.Expression));
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } call:
                return new Applied(name.Identifier.ValueText, call.ArgumentList.Arguments.Select(a => Convert(a.Expression)).ToList());
            case BinaryExpressionSyntax b:
                return new Applied(Operator(b.OperatorToken.ValueText, 2), new[] { Convert(b.Left), Convert(b.Right) });
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return new Applied(Operator("-", 1), new[] { Convert(minus.Operand) });
            default:
                throw new RuleException($"'{syntax}' is not a name, a number, a call, an operator or '.Shape'");
        }
    }

    private string Operator(string op, int arity) =>
        _table.Implementing(op, arity) ?? throw new RuleException($"no primitive declares Operator = \"{op}\"");
}
