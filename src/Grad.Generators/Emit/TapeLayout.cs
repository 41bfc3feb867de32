using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>
/// The residuals: which forward values the backward reads, and so what the tape keeps. A
/// tensor is kept only if a rule reads its values; a rule that reads only <c>x.Shape</c> keeps
/// the shape. [Param]/[State] members need no tape: the backward runs on the same layer.
/// </summary>
internal sealed class TapeLayout
{
    /// <param name="keepNamed">Also keep the inputs and every user-named local, for a hand-written
    /// [Backward] that reads them by name.</param>
    /// <param name="conditions">The forward's conditions (Branches): the backward takes the branch they record.</param>
    public TapeLayout(ForwardSpec forward, BackwardProgram backward, bool keepNamed, IEnumerable<(string Name, string Type)> conditions)
    {
        Scalars.AddRange(conditions);
        var forwardNames = new HashSet<string>(forward.Inputs.Select(i => i.Name).Concat(forward.Bindings.Select(b => b.Name)));
        var scalarTypes = forward.Bindings.Where(b => !b.IsTensor).Select(b => (b.Name, b.ScalarType))
            .Concat(forward.Inputs.Where(i => !i.IsTensor).Select(i => (i.Name, i.ScalarType)))
            .ToDictionary(s => s.Name, s => s.ScalarType!);

        var expressions = backward.Statements.SelectMany(s => s switch
            {
                Assign a => new[] { a.Value },
                SubLayerBackward b => new[] { b.Gradient },
                _ => new Expr[0],
            })
            .Concat(backward.InputGradients.Select(i => i.Gradient))
            .Concat(backward.MemberGradients.Select(m => m.Gradient));
        foreach (var leaf in expressions.SelectMany(Leaves))
        {
            switch (leaf)
            {
                case TensorRef t when forwardNames.Contains(t.Name) && !Tensors.Contains(t.Name):
                    Tensors.Add(t.Name);
                    break;
                case ShapeOf s when forwardNames.Contains(s.Tensor) && !Shapes.Contains(s.Tensor):
                    Shapes.Add(s.Tensor);
                    break;
                case ScalarRef r when scalarTypes.ContainsKey(r.Name) && !Scalars.Any(x => x.Name == r.Name):
                    Scalars.Add((r.Name, scalarTypes[r.Name]));
                    break;
            }
        }
        if (keepNamed)
        {
            Scalars.AddRange(forward.Inputs.Where(i => !i.IsTensor && !Scalars.Any(x => x.Name == i.Name)).Select(i => (i.Name, i.ScalarType!)));
            var named = forward.Inputs.Where(i => i.IsTensor).Select(i => i.Name).Concat(forward.Bindings.Where(b => b.IsTensor && b.UserNamed).Select(b => b.Name));
            Tensors.AddRange(named.Where(n => !Tensors.Contains(n)));
        }
        Shapes.RemoveAll(Tensors.Contains); // the kept tensor carries its shape
        SubTapes = forward.Bindings.Where(b => b.Value is LayerCall).Select(b => (LayerCall)b.Value).ToList();
    }

    public List<string> Tensors { get; } = new();
    public List<string> Shapes { get; } = new();
    public List<(string Name, string Type)> Scalars { get; } = new();
    public List<LayerCall> SubTapes { get; }

    public static string SubTapeField(string member) => char.ToLowerInvariant(member[0]) + member.Substring(1);

    private static IEnumerable<Expr> Leaves(Expr e) => e switch
    {
        Call c => c.Args.SelectMany(a => Leaves(a.Value)),
        FusedCall f => f.Inputs.Concat(f.Scalars).SelectMany(Leaves),
        ScalarExpr s => s.Holes.SelectMany(Leaves),
        _ => new[] { e },
    };
}
