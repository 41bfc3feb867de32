using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>
/// Reverse-mode differentiation of a forward in A-normal form. Walking the bindings backwards,
/// each call's adjoint is pushed through its primitive's rules to the call's tensor arguments;
/// contributions to one value are summed. Broadcasting primitives sum each contribution back to
/// its operand's shape. Sub-layers are differentiated by their own generated backward.
/// </summary>
internal sealed class ReverseMode
{
    /// <summary>The upstream gradient's name in derivative rules.</summary>
    private const string RuleSeed = "g";

    /// <summary>The upstream gradient's name in the generated backward: <c>g</c>, unless the
    /// layer already uses that name (an input, a local, a member), then <c>g2</c>, <c>g3</c>….</summary>
    public static string SeedName(LayerSpec layer, ForwardSpec forward)
    {
        var taken = new HashSet<string>(forward.Inputs.Select(i => i.Name).Concat(forward.Bindings.Select(b => b.Name))
            .Concat(layer.Members.Select(m => m.Name)).Concat(layer.DeclaredNames));
        var name = RuleSeed;
        for (int i = 2; taken.Contains(name); i++) name = RuleSeed + i;
        return name;
    }

    private readonly string Seed;

    private readonly LayerSpec _layer;
    private readonly ForwardSpec _forward;
    private readonly PrimitiveTable _table;
    private readonly Dictionary<string, List<Expr>> _contributions = new();
    private readonly List<Statement> _statements = new();
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _active = new();
    private readonly Dictionary<string, Call> _views = new();
    private readonly Simplifier _simplifier;
    private readonly ShapeInference _shapes;

    /// <param name="forward">The forward to differentiate: <paramref name="whole"/>, or one of its
    /// variants without conditions (Branches), whose backward shares the seed's name.</param>
    public ReverseMode(LayerSpec layer, ForwardSpec forward, ForwardSpec whole)
    {
        _layer = layer;
        _forward = forward;
        Seed = SeedName(layer, whole);
        _table = new PrimitiveTable(layer.Functions);
        _names = new HashSet<string>(whole.Inputs.Select(i => i.Name)
            .Concat(whole.Bindings.Select(b => b.Name))
            .Concat(layer.Members.Select(m => m.Name))
            .Concat(layer.DeclaredNames)
            .Concat(new[] { Seed, "tape", "scope" }));
        FindParameterViews();
        _shapes = new ShapeInference(_table, forward, Seed);
        _simplifier = new Simplifier(_table, _views, _shapes);
        Diagnostics.AddRange(_simplifier.Diagnostics);
    }

    /// <summary>Views of [Param]/[State] members (<c>W.T</c>): free to recompute from the layer,
    /// so the backward expands them instead of saving them on the tape.</summary>
    private void FindParameterViews()
    {
        var members = new HashSet<string>(_layer.Members.Where(m => m.Kind != MemberKind.Layer).Select(m => m.Name));
        foreach (var binding in _forward.Bindings)
        {
            if (binding.Value is not Call call || binding.Primitive?.Facts.Kind != OpKind.View) continue;
            if (!call.Args.All(a => a.Value is not TensorRef t || members.Contains(t.Name) || _views.ContainsKey(t.Name))) continue;
            _views[binding.Name] = (Call)Expand(call);
        }
    }

    private Expr Expand(Expr e) => e switch
    {
        TensorRef t when _views.TryGetValue(t.Name, out var view) => view,
        Call c => new Call(c.Function, c.Args.Select(a => new Arg(a.Name, Expand(a.Value))).ToEquatableArray()),
        _ => e,
    };

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public BackwardProgram Differentiate()
    {
        MarkActive();
        if (_forward.Output is TensorRef output) Contribute(output.Name, new TensorRef(Seed));

        foreach (var binding in _forward.Bindings.Reverse())
        {
            if (!binding.IsTensor || !_contributions.TryGetValue(binding.Name, out var parts)) continue;
            var adjoint = Adjoint(binding.Name, parts, binding.Source, inlinable: !binding.UserNamed);
            switch (binding.Value)
            {
                case Call call when binding.Primitive is { } primitive:
                    PushThroughPrimitive(binding, call, primitive, adjoint);
                    break;
                case LayerCall layerCall:
                    PushThroughLayer(binding, layerCall, adjoint);
                    break;
            }
        }

        var inputs = _forward.Inputs.Where(i => i.TakesGradient)
            .Select(i => (i.Name, Total(i.Name) ?? Zeros(i.Name)))
            .ToList();
        var members = _layer.Members.Where(m => m.Kind == MemberKind.Param)
            .Select(m => (m.Name, Total(m.Name) ?? Zeros(m.Name)))
            .ToList();
        var program = new BackwardProgram(_statements, inputs, members);
        return CommonSubexpressions.Eliminate(new Inliner(_simplifier).Inline(program), _names, _table);
    }

    /// <summary>Values that depend on a forward input or a parameter; only they get adjoints.</summary>
    private void MarkActive()
    {
        foreach (var input in _forward.Inputs.Where(i => i.TakesGradient)) _active.Add(input.Name);
        foreach (var member in _layer.Members.Where(m => m.Kind == MemberKind.Param)) _active.Add(member.Name);
        foreach (var binding in _forward.Bindings)
        {
            bool active = binding.Value switch
            {
                LayerCall => true,
                Call call when binding.Primitive is { NonDifferentiable: false } primitive =>
                    call.Args.Select((a, i) => (a, i)).Any(x => x.a.Value is TensorRef t && _active.Contains(t.Name)
                        && !primitive.Params[x.i].NonDifferentiable),
                _ => false,
            };
            if (active) _active.Add(binding.Name);
        }
    }

    private void PushThroughPrimitive(Binding binding, Call call, PrimitiveOverload primitive, Expr adjoint)
    {
        var scope = new Dictionary<string, Expr> { [RuleSeed] = adjoint, ["result"] = Expand(new TensorRef(binding.Name)) };
        for (int i = 0; i < call.Args.Count && i < primitive.Params.Count; i++) scope[primitive.Params[i].Name] = Expand(call.Args[i].Value);

        for (int i = 0; i < call.Args.Count && i < primitive.Params.Count; i++)
        {
            var parameter = primitive.Params[i];
            if (call.Args[i].Value is not TensorRef operand || !parameter.IsTensor || parameter.NonDifferentiable || !_active.Contains(operand.Name)) continue;
            var rule = primitive.Rules.FirstOrDefault(r => r.Parameter == parameter.Name);
            if (rule is null)
            {
                Diagnostics.Add(new DiagnosticInfo(Generators.Diagnostics.MissingRule.Id, binding.Location, EquatableArray.Of(primitive.Name, parameter.Name)));
                continue;
            }
            Expr contribution;
            try
            {
                contribution = new RuleInstantiator(_table, scope).Instantiate(rule.Formula);
            }
            catch (RuleException e)
            {
                Diagnostics.Add(new DiagnosticInfo(Generators.Diagnostics.BadRule.Id, binding.Location, EquatableArray.Of(primitive.Name, rule.Formula, e.Message)));
                continue;
            }
            if (primitive.Broadcasts) contribution = new Call(_table.WithRole(OpRole.SumTo), contribution, new ShapeOf(operand.Name));
            Contribute(operand.Name, _simplifier.Simplify(contribution));
        }
    }

    private void PushThroughLayer(Binding binding, LayerCall call, Expr adjoint)
    {
        var names = new List<string?>();
        for (int i = 0; i < call.Inputs.Count; i++)
        {
            if (!call.InputsWithGradient[i] || call.Inputs[i] is not TensorRef input || !_active.Contains(input.Name))
            {
                names.Add(call.InputsWithGradient[i] ? "_" : null);
                continue;
            }
            var name = Fresh("d" + input.Name + "_" + Lower(call.Member));
            names.Add(name);
            Contribute(input.Name, new TensorRef(name));
        }
        var layerGradient = Fresh("d" + call.Member);
        _statements.Add(new SubLayerBackward(call.Member, adjoint, names, layerGradient, binding.Source));
        Contribute(call.Member, new TensorRef(layerGradient));
    }

    /// <summary>Sums the contributions to a value into a named adjoint, unless it is a single
    /// name already.</summary>
    private Expr Adjoint(string name, List<Expr> parts, string source, bool inlinable)
    {
        var sum = _simplifier.Simplify(Sum(parts));
        if (sum is TensorRef) return sum;
        var adjointName = Fresh("d" + name);
        _shapes.Name(adjointName, sum);
        _statements.Add(new Assign(adjointName, sum, source, inlinable));
        return new TensorRef(adjointName);
    }

    private Expr? Total(string name) =>
        _contributions.TryGetValue(name, out var parts) ? _simplifier.Simplify(Sum(parts)) : null;

    /// <summary>Sums contributions; one that arrives k times (x·x sends g·x twice) is k·it.</summary>
    private Expr Sum(List<Expr> parts) => parts
        .GroupBy(p => p)
        .Select(g => g.Count() == 1 ? g.Key : new Call(Operator("*"), new ScalarExpr(g.Count() + ".0"), g.Key))
        .Aggregate((a, b) => new Call(Operator("+"), a, b));

    private string Operator(string op) =>
        _table.Implementing(op, 2) ?? throw new System.InvalidOperationException($"no primitive in reach declares Operator = \"{op}\"");

    /// <summary>The gradient of a value the output does not depend on: zeros of its shape, made
    /// like the upstream gradient (same dtype and device).</summary>
    private Expr Zeros(string name) => new Call(_table.WithRole(OpRole.Zeros), new ShapeOf(name), new TensorRef(Seed));

    private void Contribute(string name, Expr contribution)
    {
        if (!_contributions.TryGetValue(name, out var list)) _contributions[name] = list = new List<Expr>();
        list.Add(contribution);
    }

    private string Fresh(string name)
    {
        var unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i;
        return unique;
    }

    private static string Lower(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
