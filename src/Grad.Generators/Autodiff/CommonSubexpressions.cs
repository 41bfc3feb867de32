using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Common-subexpression elimination over the whole backward: a tensor computation that appears
/// more than once (expressions compare structurally) is computed once, into a named local, before
/// its first use. Views and single names are left alone: recomputing them costs nothing.
/// </summary>
internal static class CommonSubexpressions
{
    public static BackwardProgram Eliminate(BackwardProgram program, ISet<string> names, PrimitiveTable table)
    {
        var statements = program.Statements.ToList();
        var inputs = program.InputGradients.ToList();
        var members = program.MemberGradients.ToList();
        while (true)
        {
            var counts = new Dictionary<Expr, int>();
            foreach (var e in Roots(statements, inputs, members)) CountCalls(e, counts, table);
            var repeated = counts.Where(kv => kv.Value > 1).Select(kv => kv.Key).OrderByDescending(Size).FirstOrDefault();
            if (repeated is null) break;

            var name = Fresh("common", names);
            int first = statements.FindIndex(s => Uses(s, repeated));
            var hoisted = new Assign(name, repeated, "shared by several gradients", Inlinable: false);
            var reference = new TensorRef(name);
            statements = statements.Select(s => Replace(s, repeated, reference)).ToList();
            statements.Insert(first < 0 ? statements.Count : first, hoisted);
            inputs = inputs.Select(i => (i.Input, Replace(i.Gradient, repeated, reference))).ToList();
            members = members.Select(m => (m.Member, Replace(m.Gradient, repeated, reference))).ToList();
        }
        return new BackwardProgram(statements, inputs, members);
    }

    private static IEnumerable<Expr> Roots(List<Statement> statements, List<(string, Expr Gradient)> inputs, List<(string, Expr Gradient)> members) =>
        statements.Select(s => s switch { Assign a => a.Value, SubLayerBackward b => b.Gradient, _ => null })
            .Where(e => e is not null).Select(e => e!)
            .Concat(inputs.Select(i => i.Gradient)).Concat(members.Select(m => m.Gradient));

    private static void CountCalls(Expr e, Dictionary<Expr, int> counts, PrimitiveTable table)
    {
        if (e is not Call c) return;
        if (!table.IsView(c) && c.Args.Any(a => a.Value is not ScalarExpr))
            counts[c] = counts.TryGetValue(c, out var n) ? n + 1 : 1;
        foreach (var a in c.Args) CountCalls(a.Value, counts, table);
    }

    private static bool Uses(Statement s, Expr target) => s switch
    {
        Assign a => Contains(a.Value, target),
        SubLayerBackward b => Contains(b.Gradient, target),
        _ => false,
    };

    private static bool Contains(Expr e, Expr target) => e.Equals(target) || (e is Call c && c.Args.Any(a => Contains(a.Value, target)));

    private static Statement Replace(Statement s, Expr target, Expr with) => s switch
    {
        Assign a => a with { Value = Replace(a.Value, target, with) },
        SubLayerBackward b => b with { Gradient = Replace(b.Gradient, target, with) },
        _ => s,
    };

    private static Expr Replace(Expr e, Expr target, Expr with) =>
        e.Equals(target) ? with
        : e is Call c ? new Call(c.Function, c.Args.Select(a => new Arg(a.Name, Replace(a.Value, target, with))).ToEquatableArray())
        : e;

    private static int Size(Expr e) => e is Call c ? 1 + c.Args.Sum(a => Size(a.Value)) : 1;

    private static string Fresh(string name, ISet<string> names)
    {
        var unique = name;
        for (int i = 2; !names.Add(unique); i++) unique = name + i;
        return unique;
    }
}
