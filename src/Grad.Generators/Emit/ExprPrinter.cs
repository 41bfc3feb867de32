using System;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>Prints expressions as C#: calls of primitives that implement an operator as that
/// operator with the fewest parentheses, other calls by name, number-valued parts as their text
/// with holes filled in.</summary>
internal sealed class ExprPrinter(Func<Expr, string> leaf, CallNames names)
{
    private const int Additive = 1, Multiplicative = 2, Unary = 3, Atom = 4;

    public string Print(Expr expr) => Print(expr, out _);

    private string Print(Expr expr, out int precedence)
    {
        precedence = Atom;
        switch (expr)
        {
            case Call c when names.Table.OperatorOf(c) is { } op && PrintOperator(c, op, out precedence) is { } text:
                return text;
            case Call c:
                return names.Of(c.Function) + "(" + string.Join(", ", c.Args.Select(a => (a.Name is null ? "" : a.Name + ": ") + Print(a.Value))) + ")";
            case FusedCall f:
                return $"Fused({f.Kernel}.Instance, [{string.Join(", ", f.Inputs.Select(Print))}], [{string.Join(", ", f.Scalars.Select(s => "(double)" + Hole(s)))}])";
            case ScalarExpr s:
                var filled = s.Holes.Count == 0 ? s.Text : string.Format(s.Text, s.Holes.Select(h => (object)Hole(h)).ToArray());
                precedence = IsSimple(filled) ? Atom : Additive;
                return filled;
            default:
                return leaf(expr);
        }
    }

    /// <summary>A call as its operator, or null where C# would not read it so (arithmetic needs a
    /// tensor on one side, a comparison on the left).</summary>
    private string? PrintOperator(Call c, string op, out int precedence)
    {
        precedence = Atom;
        switch (op, c.Args.Count)
        {
            case ("-", 1):
                precedence = Unary;
                return "-" + Operand(c[0], Unary, true);
            case ("+" or "-", 2) when IsOperand(c):
                precedence = Additive;
                return Operand(c[0], Additive, false) + " " + op + " " + Operand(c[1], Additive, true);
            case ("*" or "/", 2) when IsOperand(c):
                precedence = Multiplicative;
                return Operand(c[0], Multiplicative, false) + " " + op + " " + Operand(c[1], Multiplicative, true);
            case (_, 2) when c[0] is not ScalarExpr:
                return "(" + Print(c[0]) + " " + op + " " + Print(c[1]) + ")";
            default:
                return null;
        }
    }

    /// <summary>Operators need a tensor on at least one side.</summary>
    private static bool IsOperand(Call c) => c[0] is not ScalarExpr || c[1] is not ScalarExpr;

    private string Operand(Expr e, int parent, bool right)
    {
        var text = Print(e, out int precedence);
        return precedence < parent || (right && precedence == parent && parent != Unary) ? "(" + text + ")" : text;
    }

    private string Hole(Expr hole)
    {
        var text = Print(hole, out int precedence);
        return precedence < Atom ? "(" + text + ")" : text;
    }

    private static bool IsSimple(string text) =>
        text.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or '.' or '[' or ']')
        || (text.StartsWith("[") && text.EndsWith("]") && text.IndexOf(']') == text.Length - 1);
}
