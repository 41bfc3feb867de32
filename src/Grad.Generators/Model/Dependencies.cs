using System;
using System.Collections.Generic;
using System.Linq;

namespace Grad.Generators.Model;

/// <summary>Which named values some expressions read, directly or through the values of other
/// names: what a forward's output needs, what a backward's parameter gradients need.</summary>
internal static class Dependencies
{
    /// <param name="roots">The expressions whose needs are wanted.</param>
    /// <param name="values">The value of each name that has one (a binding, an assignment).</param>
    /// <param name="opaque">Names that count as read but whose values are not followed.</param>
    public static HashSet<string> Of(IEnumerable<Expr> roots, IReadOnlyDictionary<string, Expr> values, Func<string, bool>? opaque = null)
    {
        var read = new HashSet<string>();
        var pending = new Stack<Expr>(roots);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            var name = e switch { TensorRef t => t.Name, ScalarRef r => r.Name, ShapeOf s => s.Tensor, _ => null };
            if (name is not null)
            {
                if (values.TryGetValue(name, out var value) && read.Add(name) && opaque?.Invoke(name) != true) pending.Push(value);
                continue;
            }
            foreach (var child in Children(e)) pending.Push(child);
        }
        return read;
    }

    private static IEnumerable<Expr> Children(Expr e) => e switch
    {
        Call c => c.Args.Select(a => a.Value),
        FusedCall f => f.Inputs.Concat(f.Scalars),
        ScalarExpr s => s.Holes,
        LayerCall l => l.Inputs,
        Choice c => new Expr[] { c.Condition, c.WhenTrue, c.WhenFalse },
        _ => Enumerable.Empty<Expr>(),
    };
}
