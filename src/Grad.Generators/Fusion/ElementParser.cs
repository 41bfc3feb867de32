using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Fusion;

/// <summary>
/// Reads formulas of the element language (C# syntax, the operations of <see cref="ElementLanguage"/>):
/// a primitive's one-expression <c>Element</c>, or a kernel's block of <c>var</c> locals ending in
/// <c>return</c> of one value or a tuple of several. Each name is a parameter, bound by the caller
/// to the element expression of its argument, or an earlier local.
/// </summary>
internal sealed class ElementParser
{
    private readonly string _formula;
    private readonly IReadOnlyDictionary<string, ElementExpr> _parameters;
    private readonly Dictionary<string, int> _locals = new();

    private ElementParser(string formula, IReadOnlyDictionary<string, ElementExpr> parameters)
    {
        _formula = formula;
        _parameters = parameters;
    }

    /// <summary>A one-expression formula. Throws <see cref="FormatException"/> outside the language.</summary>
    public static ElementExpr Parse(string formula, IReadOnlyDictionary<string, ElementExpr> parameters)
    {
        var syntax = SyntaxFactory.ParseExpression(formula);
        if (syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new FormatException($"the element formula \"{formula}\" is not a C# expression");
        return new ElementParser(formula, parameters).Convert(syntax);
    }

    /// <summary>A kernel's formula: one expression, or statements <c>var name = …;</c> ending in
    /// <c>return (out0, out1, …);</c>.</summary>
    public static ElementProgram ParseProgram(string formula, IReadOnlyDictionary<string, ElementExpr> parameters)
    {
        if (!formula.Contains(";")) return ElementProgram.Of(Parse(formula, parameters));
        var block = (BlockSyntax)SyntaxFactory.ParseStatement("{" + formula + "\n}");
        if (block.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new FormatException($"the element formula is not a block of C# statements: {block.GetDiagnostics().First().GetMessage(CultureInfo.InvariantCulture)}");
        return new ElementParser(formula, parameters).Convert(block);
    }

    private ElementProgram Convert(BlockSyntax block)
    {
        var locals = new List<ElementBinding>();
        for (int i = 0; i < block.Statements.Count; i++)
        {
            switch (block.Statements[i])
            {
                case LocalDeclarationStatementSyntax { Declaration.Variables: [{ Initializer: { } init } variable] }:
                    var name = variable.Identifier.ValueText;
                    if (_parameters.ContainsKey(name) || _locals.ContainsKey(name))
                        throw new FormatException($"'{name}' is bound twice in the element formula");
                    locals.Add(new ElementBinding(name, Convert(init.Value)));
                    _locals[name] = locals.Count - 1;
                    break;
                case ReturnStatementSyntax { Expression: { } value } when i == block.Statements.Count - 1:
                    var outputs = value is TupleExpressionSyntax tuple
                        ? tuple.Arguments.Select(a => Convert(a.Expression)).ToList()
                        : new List<ElementExpr> { Convert(value) };
                    return new ElementProgram(locals.ToEquatableArray(), outputs.ToEquatableArray());
                case var statement:
                    throw new FormatException($"'{statement}' in the element formula: a kernel is 'var' locals, then one 'return'");
            }
        }
        throw new FormatException("the element formula has no 'return'");
    }

    private ElementExpr Convert(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax paren:
                return Convert(paren.Expression);
            case IdentifierNameSyntax id when _parameters.TryGetValue(id.Identifier.ValueText, out var value):
                return value;
            case IdentifierNameSyntax id when _locals.TryGetValue(id.Identifier.ValueText, out var local):
                return new ElementLocal(local);
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return new ElementConstant(System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture));
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return new ElementApply("neg", Convert(minus.Operand));
            case BinaryExpressionSyntax b when ElementLanguage.Find(b.OperatorToken.ValueText) is { Arity: 2, Kind: not ElementKind.Function } op:
                return new ElementApply(op.Name, Convert(b.Left), Convert(b.Right));
            case ConditionalExpressionSyntax c:
                return Conditional(c);
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } call
                when ElementLanguage.Find(name.Identifier.ValueText) is { Kind: ElementKind.Function } function:
                if (call.ArgumentList.Arguments.Count != function.Arity)
                    throw new FormatException($"'{function.Name}' takes {function.Arity} argument(s), in the element formula \"{_formula}\"");
                return new ElementApply(function.Name, call.ArgumentList.Arguments.Select(a => Convert(a.Expression)).ToEquatableArray());
            default:
                throw new FormatException($"'{syntax}' in the element formula \"{_formula}\" is outside the element language");
        }
    }

    /// <summary><c>a &gt; b ? 1 : 0</c> is the comparison itself (1 or 0); <c>c != 0 ? a : b</c>
    /// selects on c; any other condition selects on its comparison's value.</summary>
    private ElementExpr Conditional(ConditionalExpressionSyntax c)
    {
        var condition = Unparenthesized(c.Condition);
        if (condition is not BinaryExpressionSyntax test || ElementLanguage.Find(test.OperatorToken.ValueText) is not { Kind: ElementKind.Comparison } comparison)
            throw new FormatException($"the condition '{c.Condition}' in the element formula \"{_formula}\" must be a comparison");
        if (IsConstant(c.WhenTrue, 1) && IsConstant(c.WhenFalse, 0))
            return new ElementApply(comparison.Name, Convert(test.Left), Convert(test.Right));
        var selector = comparison.Name == "!=" && IsConstant(test.Right, 0)
            ? Convert(test.Left)
            : new ElementApply(comparison.Name, Convert(test.Left), Convert(test.Right));
        return new ElementApply("?:", selector, Convert(c.WhenTrue), Convert(c.WhenFalse));
    }

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax e) => e is ParenthesizedExpressionSyntax p ? Unparenthesized(p.Expression) : e;

    private static bool IsConstant(ExpressionSyntax e, double value) =>
        Unparenthesized(e) is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.NumericLiteralExpression)
        && System.Convert.ToDouble(l.Token.Value, CultureInfo.InvariantCulture) == value;
}
