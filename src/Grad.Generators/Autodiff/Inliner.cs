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
    /// <summary>Inlines, one adjoint at a time, the first inlinable adjoint (in statement order)
    /// read at most once, until none is left. Uses are counted once and then kept up to date as
    /// statements change (each inlining touches one expression), so a forward of n operations
    /// costs about n simplifications, not n² rescans of the whole program.</summary>
    public BackwardProgram Inline(BackwardProgram program)
    {
        var statements = program.Statements.ToArray<Statement?>();
        var inputs = program.InputGradients.ToArray();
        var members = program.MemberGradients.ToArray();
        int s = statements.Length, i = inputs.Length;
        var locations = new Expr?[s + i + members.Length]; // what each statement or gradient reads
        for (int k = 0; k < s; k++) locations[k] = Read(statements[k]!);
        for (int k = 0; k < i; k++) locations[s + k] = inputs[k].Gradient;
        for (int k = 0; k < members.Length; k++) locations[s + i + k] = members[k].Gradient;

        var uses = new Dictionary<string, int>();
        var readers = new Dictionary<string, HashSet<int>>(); // name → locations that read it
        var reads = new Dictionary<string, int>?[locations.Length];
        var candidates = new Dictionary<string, List<int>>(); // name → inlinable assigns of it
        for (int k = 0; k < s; k++)
            if (statements[k] is Assign { Inlinable: true } a)
            {
                if (!candidates.TryGetValue(a.Name, out var list)) candidates[a.Name] = list = new List<int>();
                list.Add(k);
            }

        var eligible = new SortedSet<int>();
        var changed = new HashSet<string>();
        for (int k = 0; k < locations.Length; k++) Track(k, add: true);
        for (int k = 0; k < s; k++) Recheck(k);

        while (eligible.Count > 0)
        {
            int at = eligible.Min;
            var name = ((Assign)statements[at]!).Name;
            var value = locations[at]!;
            int count = uses.TryGetValue(name, out var n) ? n : 0;
            changed.Clear();
            Track(at, add: false);
            statements[at] = null;
            locations[at] = null;
            eligible.Remove(at);
            candidates[name].Remove(at);
            if (count > 0)
                foreach (var reader in readers[name].Where(r => Count(locations[r]!, name) > 0).ToList())
                {
                    Track(reader, add: false);
                    locations[reader] = Replace(locations[reader]!, name, value);
                    Track(reader, add: true);
                    if (reader < s) Recheck(reader);
                }
            foreach (var changedName in changed)
                if (candidates.TryGetValue(changedName, out var affected))
                    foreach (var k in affected) Recheck(k);
        }

        var kept = new List<Statement>();
        for (int k = 0; k < s; k++)
            if (statements[k] is { } statement) kept.Add(Write(statement, locations[k]));
        return new BackwardProgram(kept,
            inputs.Select((g, k) => (g.Input, locations[s + k]!)).ToList(),
            members.Select((g, k) => (g.Member, locations[s + i + k]!)).ToList());

        void Track(int location, bool add)
        {
            if (locations[location] is not { } e) return;
            if (add) reads[location] = Names(e);
            foreach (var kv in reads[location]!)
            {
                uses[kv.Key] = (uses.TryGetValue(kv.Key, out var c) ? c : 0) + (add ? kv.Value : -kv.Value);
                if (!readers.TryGetValue(kv.Key, out var set)) readers[kv.Key] = set = new HashSet<int>();
                if (add) set.Add(location); else set.Remove(location);
                changed.Add(kv.Key);
            }
            if (!add) reads[location] = null;
        }

        void Recheck(int k)
        {
            if (statements[k] is not Assign { Inlinable: true } a) return;
            int count = uses.TryGetValue(a.Name, out var c) ? c : 0;
            if (count == 0 || (count == 1 && Size(locations[k]!) <= MaxInlinedSize)) eligible.Add(k);
            else eligible.Remove(k);
        }
    }

    private static Expr? Read(Statement s) => s switch
    {
        Assign a => a.Value,
        SubLayerBackward b => b.Gradient,
        _ => null,
    };

    private static Statement Write(Statement s, Expr? value) => s switch
    {
        Assign a => a with { Value = value! },
        SubLayerBackward b => b with { Gradient = value! },
        _ => s,
    };

    /// <summary>How many times each tensor name is read (as <see cref="Count"/> counts them).</summary>
    private static Dictionary<string, int> Names(Expr e)
    {
        var names = new Dictionary<string, int>();
        Collect(e);
        return names;

        void Collect(Expr x)
        {
            switch (x)
            {
                case TensorRef t: names[t.Name] = (names.TryGetValue(t.Name, out var c) ? c : 0) + 1; break;
                case Call call: foreach (var a in call.Args) Collect(a.Value); break;
                case ScalarExpr scalar: foreach (var h in scalar.Holes) Collect(h); break;
            }
        }
    }

    private const int MaxInlinedSize = 8;

    private static int Size(Expr e) => e switch
    {
        Call c => 1 + c.Args.Sum(a => Size(a.Value)),
        _ => 1,
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
