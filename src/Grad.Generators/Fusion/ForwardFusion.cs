using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Emit;
using Grad.Generators.Model;

namespace Grad.Generators.Fusion;

/// <summary>
/// Fuses element-wise chains in the forward. A temporary that one element-wise operation reads
/// once, and that the backward does not need (neither its values nor its shape), is substituted
/// into its reader; the resulting expressions are then fused like the backward's. Values the tape
/// keeps stay materialised, and so do the user's named locals.
/// </summary>
internal static class ForwardFusion
{
    public static ForwardSpec Fuse(ForwardSpec forward, TapeLayout tape, FusionPass pass)
    {
        var uses = new Dictionary<string, int>();
        foreach (var b in forward.Bindings) Count(b.Value, uses);
        Count(forward.Output, uses);

        var inlined = new Dictionary<string, Expr>();
        var bindings = new List<Binding>();
        foreach (var binding in forward.Bindings)
        {
            var value = Substitute(binding.Value, inlined);
            bool inlinable = binding.IsTensor && !binding.UserNamed && pass.IsElementwise(value)
                && uses.TryGetValue(binding.Name, out var n) && n == 1
                && !tape.Tensors.Contains(binding.Name) && !tape.Shapes.Contains(binding.Name)
                && ReaderIsElementwise(binding.Name, forward, pass);
            if (inlinable)
            {
                inlined[binding.Name] = value;
                continue;
            }
            bindings.Add(binding with { Value = binding.IsTensor ? pass.Fuse(value, binding.Name) : value });
        }
        return forward with { Bindings = bindings.ToEquatableArray() };
    }

    private static bool ReaderIsElementwise(string name, ForwardSpec forward, FusionPass pass) =>
        forward.Bindings.FirstOrDefault(b => Reads(b.Value, name)) is { } reader && pass.IsElementwise(reader.Value);

    private static bool Reads(Expr e, string name) => e switch
    {
        TensorRef t => t.Name == name,
        Call c => c.Args.Any(a => Reads(a.Value, name)),
        _ => false,
    };

    private static Expr Substitute(Expr e, IReadOnlyDictionary<string, Expr> values) => e switch
    {
        TensorRef t when values.TryGetValue(t.Name, out var v) => v,
        Call c => new Call(c.Function, c.Args.Select(a => new Arg(a.Name, Substitute(a.Value, values))).ToEquatableArray()),
        _ => e,
    };

    private static void Count(Expr e, Dictionary<string, int> uses)
    {
        switch (e)
        {
            case TensorRef t:
                uses[t.Name] = uses.TryGetValue(t.Name, out var n) ? n + 1 : 1;
                break;
            case ShapeOf s:
                uses[s.Tensor] = 2; // its shape is read elsewhere: keep it
                break;
            case Call c:
                foreach (var a in c.Args) Count(a.Value, uses);
                break;
            case ScalarExpr s:
                foreach (var h in s.Holes) Count(h, uses);
                break;
            case LayerCall l:
                foreach (var i in l.Inputs) Count(i, uses);
                break;
        }
    }
}
