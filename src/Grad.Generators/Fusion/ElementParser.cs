using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Generators.Fusion;

/// <summary>Reads a primitive's <c>Element</c> formula, substituting each parameter name with
/// the element expression of the argument passed for it.</summary>
internal static class ElementParser
{
    public static ElementExpr Parse(string formula, IReadOnlyDictionary<string, ElementExpr> parameters)
    {
        var syntax = SyntaxFactory.ParseExpression(formula);
        if (syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            throw new FormatException($"the element formula \"{formula}\" is not an expression");
        return Convert(syntax, parameters, formula);
    }

    private static ElementExpr Convert(ExpressionSyntax syntax, IReadOnlyDictionary<string, ElementExpr> p, string formula)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax paren:
                return Convert(paren.Expression, p, formula);
            case IdentifierNameSyntax id when p.TryGetValue(id.Identifier.ValueText, out var value):
                return value;
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return new ElementConstant(System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture));
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } minus:
                return new ElementArithmetic("-", Convert(minus.Operand, p, formula), null);
            case BinaryExpressionSyntax b when b.OperatorToken.ValueText is "+" or "-" or "*" or "/":
                return new ElementArithmetic(b.OperatorToken.ValueText, Convert(b.Left, p, formula), Convert(b.Right, p, formula));
            case ConditionalExpressionSyntax { Condition: BinaryExpressionSyntax comparison } c
                when IsComparison(comparison) && IsConstant(c.WhenTrue, 1) && IsConstant(c.WhenFalse, 0):
                return new ElementComparison(comparison.OperatorToken.ValueText, Convert(comparison.Left, p, formula), Convert(comparison.Right, p, formula));
            case ConditionalExpressionSyntax { Condition: BinaryExpressionSyntax { OperatorToken.ValueText: "!=" } test } c when IsConstant(test.Right, 0):
                return new ElementSelect(Convert(test.Left, p, formula), Convert(c.WhenTrue, p, formula), Convert(c.WhenFalse, p, formula));
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } call when ElementFunction.Known.Contains(name.Identifier.ValueText):
                return new ElementFunction(name.Identifier.ValueText, call.ArgumentList.Arguments.Select(a => Convert(a.Expression, p, formula)).ToList());
            default:
                throw new FormatException($"'{syntax}' in the element formula \"{formula}\" is outside the element language");
        }
    }

    private static bool IsComparison(BinaryExpressionSyntax b) => b.OperatorToken.ValueText is ">" or "<" or ">=" or "<=" or "==" or "!=";

    private static bool IsConstant(ExpressionSyntax e, double value) =>
        e is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.NumericLiteralExpression)
        && System.Convert.ToDouble(l.Token.Value, CultureInfo.InvariantCulture) == value;
}
