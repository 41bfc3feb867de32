using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>A decision on the forward's conditions: a variant, or a condition and what follows
/// from each of its values.</summary>
internal abstract record BranchNode;

internal sealed record BranchLeaf(int Variant) : BranchNode;

internal sealed record BranchSplit(string Condition, BranchNode WhenTrue, BranchNode WhenFalse) : BranchNode;

/// <summary>
/// A forward with <c>?:</c> on bools (<see cref="Choice"/>) as forwards without: one variant per
/// combination of the conditions that matters (a nested <c>?:</c> only on its side), each an
/// ordinary forward the rest of the generator differentiates. The generated methods decide
/// between them with if/else, and the tape records the conditions, so the backward follows the
/// branch the forward took. Only what the branch not taken needed is dropped from a variant.
/// </summary>
internal sealed class Branches
{
    private Branches(ForwardSpec forward)
    {
        var conditionNames = new HashSet<string>(forward.Bindings.Select(b => b.Value).OfType<Choice>().Select(c => c.Condition.Name));
        Conditions = forward.Bindings.Where(b => conditionNames.Contains(b.Name)).ToList();
        ConditionNames = conditionNames.ToList();
        Tree = Split(forward, Live(forward));
        if (Variants.Count > MaxVariants) TooMany = forward.Bindings.First(b => b.Value is Choice);
    }

    public static Branches Of(ForwardSpec forward) => new(forward);

    /// <summary>The forwards without conditions, in the order the tree names them.</summary>
    public List<ForwardSpec> Variants { get; } = new();

    public BranchNode Tree { get; }

    /// <summary>Scalar bindings that compute a condition: the generated methods compute them
    /// before they choose a variant (conditions on a bool argument have none).</summary>
    public List<Binding> Conditions { get; }

    /// <summary>Every condition's name (a binding above, or a bool argument), which the tape keeps.</summary>
    public List<string> ConditionNames { get; }

    /// <summary>Each variant is a copy of every generated method's body: past this many, the
    /// forward is refused (<see cref="TooMany"/>) rather than the build slowed down.</summary>
    public const int MaxVariants = 16;

    /// <summary>The forward's first choice when its conditions make more than <see cref="MaxVariants"/> variants, else null.</summary>
    public Binding? TooMany { get; private set; }

    private BranchNode Split(ForwardSpec forward, HashSet<string> live)
    {
        // The outermost choice first (it comes last): a choice nested in its other side is then dropped.
        var binding = forward.Bindings.LastOrDefault(b => b.Value is Choice);
        if (binding is null || Variants.Count > MaxVariants)
        {
            Variants.Add(forward);
            return new BranchLeaf(Variants.Count - 1);
        }
        var condition = ((Choice)binding.Value).Condition.Name;
        return new BranchSplit(condition, Split(Fix(forward, condition, true, live), live), Split(Fix(forward, condition, false, live), live));
    }

    /// <summary>The forward with every choice on <paramref name="condition"/> replaced by the
    /// chosen value, and the bindings only the other side read dropped.</summary>
    private static ForwardSpec Fix(ForwardSpec forward, string condition, bool value, HashSet<string> originallyLive)
    {
        var chosen = new Dictionary<string, Expr>();
        var bindings = new List<Binding>();
        foreach (var b in forward.Bindings)
        {
            var substituted = Substitute(b.Value, chosen);
            if (substituted is Choice c && c.Condition.Name == condition)
                chosen[b.Name] = value ? c.WhenTrue : c.WhenFalse;
            else
                bindings.Add(b with { Value = substituted });
        }
        var fixedForward = forward with { Bindings = bindings.ToEquatableArray(), Output = Substitute(forward.Output, chosen) };
        // A binding that was dead before (an unused local, a statistic tracked but not used)
        // stays, as without branches, and so does what it reads. A [State] update on the side
        // not taken goes: that side does not run.
        var live = Live(fixedForward, bindings.Where(b => !originallyLive.Contains(b.Name)).Select(b => b.Name));
        return fixedForward with { Bindings = bindings.Where(b => live.Contains(b.Name)).ToEquatableArray() };
    }

    private static Expr Substitute(Expr e, IReadOnlyDictionary<string, Expr> values) => values.Count == 0 ? e : e switch
    {
        TensorRef t when values.TryGetValue(t.Name, out var v) => v,
        Call c => new Call(c.Function, c.Args.Select(a => new Arg(a.Name, Substitute(a.Value, values))).ToEquatableArray()),
        LayerCall l => l with { Inputs = l.Inputs.Select(i => Substitute(i, values)).ToEquatableArray() },
        Choice c => c with { WhenTrue = Substitute(c.WhenTrue, values), WhenFalse = Substitute(c.WhenFalse, values) },
        ScalarExpr s => s with { Holes = s.Holes.Select(h => h is ShapeOf shape && values.TryGetValue(shape.Tensor, out var v) && v is TensorRef r ? new ShapeOf(r.Name) : h).ToEquatableArray() },
        _ => e,
    };

    /// <summary>The bindings the output and <paramref name="roots"/> depend on (roots included).</summary>
    private static HashSet<string> Live(ForwardSpec forward, IEnumerable<string>? roots = null) =>
        Dependencies.Of((roots ?? Enumerable.Empty<string>()).Select(r => (Expr)new TensorRef(r)).Append(forward.Output),
            forward.Bindings.ToDictionary(b => b.Name, b => b.Value));
}
