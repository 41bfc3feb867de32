using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Substitutes adjoints of temporaries that exactly one expression reads into that expression
/// and simplifies again, so rewrites can see through them (the adjoint of <c>W.T</c> becomes
/// part of dW = gᵀ·x). Adjoints read twice stay named: computing them once is the point. So do
/// adjoints whose inlining would make a line too long to read.
/// </summary>
internal sealed class Inliner(Simplifier simplifier)
{
    public BackwardProgram Inline(BackwardProgram program)
    {
        var statements = program.Statements.ToList();
        var inputs = program.InputGradients.ToList();
        var members = program.MemberGradients.ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var assign in statements.OfType<Assign>().Where(a => a.Inlinable).ToList())
            {
                var name = assign.Name;
                int uses = statements.Sum(s => Uses(s, name)) + inputs.Sum(i => Count(i.Gradient, name)) + members.Sum(m => Count(m.Gradient, name));
                if (uses > 1 || (uses == 1 && Size(assign.Value) > MaxInlinedSize)) continue;
                statements.Remove(assign);
                statements = statements.Select(s => Substitute(s, name, assign.Value)).ToList();
                inputs = inputs.Select(i => (i.Input, Replace(i.Gradient, name, assign.Value))).ToList();
                members = members.Select(m => (m.Member, Replace(m.Gradient, name, assign.Value))).ToList();
                changed = true;
                break; // the other candidates may have been rewritten: look again
            }
        }
        return new BackwardProgram(statements, inputs, members);
    }

    private const int MaxInlinedSize = 8;

    private static int Size(Expr e) => e switch
    {
        Call c => 1 + c.Args.Sum(a => Size(a.Value)),
        _ => 1,
    };

    private static int Uses(Statement s, string name) => s switch
    {
        Assign a => Count(a.Value, name),
        SubLayerBackward b => Count(b.Gradient, name),
        _ => 0,
    };

    private Statement Substitute(Statement s, string name, Expr value) => s switch
    {
        Assign a => a with { Value = Replace(a.Value, name, value) },
        SubLayerBackward b => b with { Gradient = Replace(b.Gradient, name, value) },
        _ => s,
    };

    private Expr Replace(Expr e, string name, Expr value) => Count(e, name) == 0 ? e : simplifier.Simplify(Substitute(e, name, value));

    private static Expr Substitute(Expr e, string name, Expr value) => e switch
    {
        TensorRef t when t.Name == name => value,
        Call c => new Call(c.Function, c.Args.Select(a => new Arg(a.Name, Substitute(a.Value, name, value))).ToEquatableArray()),
        _ => e,
    };

    private static int Count(Expr e, string name) => e switch
    {
        TensorRef t => t.Name == name ? 1 : 0,
        Call c => c.Args.Sum(a => Count(a.Value, name)),
        ScalarExpr s => s.Holes.Sum(h => Count(h, name)),
        _ => 0,
    };
}
