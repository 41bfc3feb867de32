using System;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>Prints expressions as C#: tensor arithmetic with operators and the fewest
/// parentheses, calls by name, number-valued parts as their text with holes filled in.</summary>
internal sealed class ExprPrinter(Func<Expr, string> leaf, Func<string, string> function)
{
    private const int Additive = 1, Multiplicative = 2, Unary = 3, Atom = 4;

    public string Print(Expr expr) => Print(expr, out _);

    private string Print(Expr expr, out int precedence)
    {
        precedence = Atom;
        switch (expr)
        {
            case Call { Function: "Add" or "Subtract" } c when c.Args.Count == 2 && IsOperand(c):
                precedence = Additive;
                return Operand(c[0], Additive, false) + (c.Function == "Add" ? " + " : " - ") + Operand(c[1], Additive, true);
            case Call { Function: "Multiply" or "Divide" } c when c.Args.Count == 2 && IsOperand(c):
                precedence = Multiplicative;
                return Operand(c[0], Multiplicative, false) + (c.Function == "Multiply" ? " * " : " / ") + Operand(c[1], Multiplicative, true);
            case Call { Function: "Greater" or "Less" or "GreaterOrEqual" or "LessOrEqual" } c when c.Args.Count == 2 && c[0] is not ScalarExpr:
                return "(" + Print(c[0]) + " " + Comparison(c.Function) + " " + Print(c[1]) + ")";
            case Call { Function: "Negate" } c when c.Args.Count == 1:
                precedence = Unary;
                return "-" + Operand(c[0], Unary, true);
            case Call c:
                return function(c.Function) + "(" + string.Join(", ", c.Args.Select(a => (a.Name is null ? "" : a.Name + ": ") + Print(a.Value))) + ")";
            case FusedCall f:
                return $"Fused({f.Kernel}.Instance, [{string.Join(", ", f.Inputs.Select(Print))}], [{string.Join(", ", f.Scalars.Select(s => "(double)" + Hole(s)))}])";
            case ScalarExpr s:
                var text = s.Holes.Count == 0 ? s.Text : string.Format(s.Text, s.Holes.Select(h => (object)Hole(h)).ToArray());
                precedence = IsSimple(text) ? Atom : Additive;
                return text;
            default:
                return leaf(expr);
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

    private static string Comparison(string function) => function switch
    {
        "Greater" => ">",
        "Less" => "<",
        "GreaterOrEqual" => ">=",
        _ => "<=",
    };
}
