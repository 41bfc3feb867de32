using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Algebraic rewrites that turn instantiated rules into the formulas a person would write: the
/// identities primitives declare (double transposes cancel, a transposed product becomes the
/// product of transposes, so Linear's dW reads gᵀ·x; a sum back to a shape the value already has
/// is the value), then the algebra of the C# operators, whatever primitives implement them:
/// negations move outwards (out of linear reductions too) and turn sums into differences,
/// x + x becomes 2·x, and constant factors fold. Rewrites run bottom-up to a fixed point; each
/// one is valid for every shape, so simplification never changes a gradient.
/// <paramref name="views"/> are forward bindings that are views of parameters (such as
/// <c>W.T</c>), which the backward recomputes instead of saving; <paramref name="shapes"/>
/// proves when two values have the same shape.
/// </summary>
internal sealed class Simplifier
{
    private readonly PrimitiveTable _table;
    private readonly RewriteRules _rules;
    private readonly string? _add, _subtract, _multiply, _divide, _negate;

    public Simplifier(PrimitiveTable table, IReadOnlyDictionary<string, Call> views, ShapeInference shapes)
    {
        _table = table;
        _rules = new RewriteRules(table, views, shapes);
        _add = table.Implementing("+", 2);
        _subtract = table.Implementing("-", 2);
        _multiply = table.Implementing("*", 2);
        _divide = table.Implementing("/", 2);
        _negate = table.Implementing("-", 1);
    }

    /// <summary>Declared rewrites that could not be read.</summary>
    public List<DiagnosticInfo> Diagnostics => _rules.Diagnostics;

    public Expr Simplify(Expr expr)
    {
        if (expr is not Call call) return expr;
        var args = call.Args.Select(a => new Arg(a.Name, Simplify(a.Value))).ToEquatableArray();
        var rebuilt = new Call(call.Function, args);
        var rewritten = _rules.Apply(rebuilt) ?? Rewrite(rebuilt);
        return rewritten.Equals(rebuilt) ? rebuilt : Simplify(rewritten);
    }

    private Expr Rewrite(Call c)
    {
        var f = c.Function;
        if (c.Args.Count == 0) return c;
        if (Negated(c[0]) is { } inner && _table.Facts(c) is { Kind: OpKind.Reduction, Linear: true })
            return Negate(c with { Args = c.Args.Select((a, i) => i == 0 ? a with { Value = inner } : a).ToEquatableArray() }); // negate the small result
        if (f == _negate)
        {
            if (Negated(c[0]) is { } twice) return twice;
            return Number(c[0]) is { } n ? Constant(-n) : c;
        }
        if (c.Args.Count != 2) return c;
        if (f == _add)
        {
            if (Negated(c[1]) is { } b) return new Call(_subtract!, c[0], b);
            if (Negated(c[0]) is { } a) return new Call(_subtract!, c[1], a);
            if (c[0].Equals(c[1])) return new Call(_multiply!, Constant(2), c[0]);
        }
        if (f == _subtract && Negated(c[1]) is { } subtrahend) return new Call(_add!, c[0], subtrahend);
        bool product = f == _multiply, quotient = f == _divide;
        if ((product || quotient) && IsConstant(c[1], 1)) return c[0];
        if (product)
        {
            if (IsConstant(c[0], 1)) return c[1];
            if (Number(c[0]) is { } a && Number(c[1]) is { } b) return Constant(a * b);
            if (c[1] is ScalarExpr && c[0] is not ScalarExpr) return new Call(f, c[1], c[0]); // constant factors first: 2 * x
            if (Number(c[0]) is { } k && c[1] is Call { Function: var g } scaled && g == _multiply && Number(scaled[0]) is { } l)
                return new Call(f, Constant(k * l), scaled[1]);
        }
        if (product || quotient)
        {
            if (Negated(c[0]) is { } a) return Negate(new Call(f, a, c[1]));
            if (Negated(c[1]) is { } b) return Negate(new Call(f, c[0], b));
        }
        if (product && Number(c[0]) is { } negative && negative < 0) return Negate(new Call(f, Constant(-negative), c[1]));
        return c;
    }

    /// <summary>x when <paramref name="e"/> is −x.</summary>
    private Expr? Negated(Expr e) => e is Call { Function: var f, Args.Count: 1 } c && f == _negate ? c[0] : null;

    private Call Negate(Expr e) => new(_negate!, e);

    private static bool IsConstant(Expr e, double value) => Number(e) == value;

    private static double? Number(Expr e) => (e as ScalarExpr)?.Number;

    private static ScalarExpr Constant(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return new ScalarExpr(text.Contains('.') || text.Contains('E') ? text : text + ".0");
    }
}
