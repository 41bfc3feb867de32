using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Fusion;

/// <summary>
/// Finds maximal element-wise regions in the backward's expressions (trees of primitives that
/// declare an <c>Element</c> formula) and replaces each region of two or more operators by one
/// <see cref="FusedCall"/>: one pass over the data instead of one temporary per operator. The
/// region's other subexpressions (reductions, products, views) become its inputs.
/// </summary>
internal sealed class FusionPass
{
    private readonly Dictionary<string, FunctionInfo> _functions;
    private readonly string _layer;
    private readonly int _maxInputs;
    private readonly HashSet<string> _names = new();

    public FusionPass(LayerSpec layer)
    {
        _functions = layer.Functions.ToDictionary(f => f.Name);
        _layer = layer.Name;
        _maxInputs = layer.MaxKernelInputs;
        _names.UnionWith(layer.DeclaredNames); // a kernel class beside a user member 'Fused_t1'
    }

    public List<FusedKernel> Kernels { get; } = new();

    public BackwardProgram Fuse(BackwardProgram program)
    {
        var statements = program.Statements.Select(s => s switch
        {
            Assign a => a with { Value = Fuse(a.Value, a.Name) },
            SubLayerBackward b => b with { Gradient = Fuse(b.Gradient, "d" + b.Member) },
            _ => s,
        }).ToList();
        var inputs = program.InputGradients.Select(i => (i.Input, Fuse(i.Gradient, "d" + i.Input))).ToList();
        var members = program.MemberGradients.Select(m => (m.Member, Fuse(m.Gradient, "d" + m.Member))).ToList();
        return new BackwardProgram(statements, inputs, members);
    }

    /// <summary>Fuses the element-wise regions of one expression; <paramref name="name"/> names its kernels.</summary>
    public Expr Fuse(Expr e, string name)
    {
        if (e is Call call && Formula(call) is not null && call.Args.Any(a => a.Value is Call inner && Formula(inner) is not null))
        {
            var inputs = new List<Expr>();
            var scalars = new List<Expr>();
            ElementExpr? body;
            try
            {
                body = ToElement(e, inputs, scalars);
            }
            catch (System.FormatException)
            {
                body = null; // a formula outside the element language: the operators run one by one
            }
            catch (TooManyInputs)
            {
                body = null; // the region reads more tensors than a kernel takes: its parts are fused
            }
            if (body is not null && inputs.Count > 0 && inputs.Count <= _maxInputs)
            {
                var kernel = new FusedKernel(Unique("Fused_" + name.TrimStart('d')), inputs.Count, scalars.Count, body, e);
                Kernels.Add(kernel);
                return new FusedCall(kernel.Name, inputs.Select((x, i) => Fuse(x, name + "_in" + i)).ToEquatableArray(), scalars.ToEquatableArray());
            }
        }
        return e is Call c
            ? new Call(c.Function, c.Args.Select((a, i) => new Arg(a.Name, Fuse(a.Value, name))).ToEquatableArray())
            : e;
    }

    public bool IsElementwise(Expr e) => e is Call c && Formula(c) is not null;

    /// <summary>The element formula of an element-wise call, or null.</summary>
    private PrimitiveOverload? Formula(Call call) =>
        _functions.TryGetValue(call.Function, out var f)
            ? f.Overloads.FirstOrDefault(o => o.Element is not null && o.Params.Count == call.Args.Count && call.Args.All(a => a.Name is null))
            : null;


    private ElementExpr ToElement(Expr e, List<Expr> inputs, List<Expr> scalars)
    {
        if (e is Call call && Formula(call) is { } primitive)
        {
            var parameters = new Dictionary<string, ElementExpr>();
            for (int i = 0; i < call.Args.Count; i++) parameters[primitive.Params[i].Name] = ToElement(call[i], inputs, scalars);
            return ElementParser.Parse(primitive.Element!, parameters);
        }
        if (e is ScalarExpr s)
            return s.Number is { } constant ? new ElementConstant(constant) : new ElementScalar(IndexOf(scalars, e));
        int input = IndexOf(inputs, e);
        // Stop as soon as the region is too wide for a kernel: walking the rest of it would make
        // fusing a long chain quadratic (each of its sub-expressions is tried in turn).
        if (inputs.Count > _maxInputs) throw new TooManyInputs();
        return new ElementInput(input);
    }

    private sealed class TooManyInputs : System.Exception;

    private static int IndexOf(List<Expr> list, Expr e)
    {
        int index = list.IndexOf(e);
        if (index >= 0) return index;
        list.Add(e);
        return list.Count - 1;
    }

    private string Unique(string name)
    {
        var unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i;
        return unique;
    }
}
