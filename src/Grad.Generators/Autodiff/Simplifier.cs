using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Algebraic rewrites that turn instantiated rules into the formulas a person would write:
/// double negations and transposes cancel, a transposed product becomes the product of
/// transposes (so Linear's dW reads gᵀ·x), negations move outwards and turn sums into
/// differences, x + x becomes 2·x, and constant factors fold. Rewrites run bottom-up to a fixed
/// point; each one is valid for every shape, so simplification never changes a gradient.
/// <paramref name="views"/> are forward bindings that are views of parameters (such as
/// <c>W.T</c>), which the backward recomputes instead of saving; <paramref name="shapes"/>
/// proves when a sum back to an operand's shape has nothing to sum.
/// </summary>
internal sealed class Simplifier(IReadOnlyDictionary<string, Call> views, ShapeInference shapes)
{
    public Expr Simplify(Expr expr)
    {
        if (expr is not Call call) return expr;
        var args = call.Args.Select(a => new Arg(a.Name, Simplify(a.Value))).ToEquatableArray();
        var rebuilt = new Call(call.Function, args);
        var rewritten = Rewrite(rebuilt);
        return rewritten.Equals(rebuilt) ? rebuilt : Simplify(rewritten);
    }

    private Expr Rewrite(Call c)
    {
        switch (c.Function)
        {
            case "Negate" when c[0] is Call { Function: "Negate" } inner:
                return inner[0];
            case "Negate" when c[0] is ScalarExpr s:
                return Number(s) is { } n ? Constant(-n) : c;
            case "Transpose" when c[0] is Call { Function: "Transpose" } inner:
                return inner[0];
            case "Transpose" when c[0] is Call { Function: "MatMul" } product:
                return new Call("MatMul", new Call("Transpose", product[1]), new Call("Transpose", product[0]));
            case "Transpose" when c[0] is Call { Function: "SumTo" } sum && sum[1] is ShapeOf { Tensor: var v }
                                  && views.TryGetValue(v, out var view) && view.Function == "Transpose" && view[0] is TensorRef source:
                // Summing then transposing to v = sourceᵀ is transposing then summing to source's shape.
                return new Call("SumTo", new Call("Transpose", sum[0]), new ShapeOf(source.Name));

            case "SumTo" when c[1] is ShapeOf target && shapes.Of(c[0]).Equals(shapes.Of(new TensorRef(target.Tensor))):
                return c[0]; // nothing was broadcast
            case "SumTo" or "Sum" or "Mean" when c[0] is Call { Function: "Negate" } negated:
                return new Call("Negate", c with { Args = c.Args.Select((a, i) => i == 0 ? a with { Value = negated[0] } : a).ToEquatableArray() }); // negate the small result
            case "Add" when c[1] is Call { Function: "Negate" } negated:
                return new Call("Subtract", c[0], negated[0]);
            case "Add" when c[0] is Call { Function: "Negate" } negated:
                return new Call("Subtract", c[1], negated[0]);
            case "Add" when c[0].Equals(c[1]):
                return new Call("Multiply", Constant(2), c[0]);
            case "Subtract" when c[1] is Call { Function: "Negate" } negated:
                return new Call("Add", c[0], negated[0]);

            case "Multiply" or "Divide" when IsConstant(c[1], 1):
                return c[0];
            case "Multiply" when IsConstant(c[0], 1):
                return c[1];
            case "Multiply" when Number(c[0]) is { } a && Number(c[1]) is { } b:
                return Constant(a * b);
            case "Multiply" when c[1] is ScalarExpr && c[0] is not ScalarExpr:
                return new Call("Multiply", c[1], c[0]); // constant factors first: 2 * x
            case "Multiply" when Number(c[0]) is { } a && c[1] is Call { Function: "Multiply" } inner && Number(inner[0]) is { } b:
                return new Call("Multiply", Constant(a * b), inner[1]);
            case "Multiply" or "Divide" when c[0] is Call { Function: "Negate" } negated:
                return new Call("Negate", new Call(c.Function, negated[0], c[1]));
            case "Multiply" or "Divide" when c[1] is Call { Function: "Negate" } negated:
                return new Call("Negate", new Call(c.Function, c[0], negated[0]));
            case "Multiply" when Number(c[0]) is { } a && a < 0:
                return new Call("Negate", new Call("Multiply", Constant(-a), c[1]));
            default:
                return c;
        }
    }

    private static bool IsConstant(Expr e, double value) => Number(e) == value;

    private static double? Number(Expr e) => (e as ScalarExpr)?.Number;

    private static ScalarExpr Constant(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return new ScalarExpr(text.Contains('.') || text.Contains('E') ? text : text + ".0");
    }
}
