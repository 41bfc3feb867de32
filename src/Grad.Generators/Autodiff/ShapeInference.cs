using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>A symbolic shape: enough algebra to prove two values have the same shape, so that
/// a <c>SumTo</c> back to an operand's shape can be dropped when nothing was broadcast.</summary>
internal abstract record SymbolicShape;

/// <summary>The shape of a named value about which nothing more is known.</summary>
internal sealed record OpaqueShape(string Name) : SymbolicShape;

internal sealed record ScalarShape : SymbolicShape
{
    public static ScalarShape Instance { get; } = new();
}

/// <summary>The shape a reduction over constant axes leaves.</summary>
internal sealed record ReducedShape(SymbolicShape Of, EquatableArray<int> Axes, bool KeepDims) : SymbolicShape
{
    /// <summary>Broadcasting the reduced shape against the original gives the original back:
    /// always with kept dims, and without them when a leading run of axes was removed.</summary>
    public bool BroadcastsBackTo(SymbolicShape shape) =>
        Of.Equals(shape) && (KeepDims || Axes.Select((a, i) => a == i).All(x => x));
}

internal sealed record BroadcastShape(SymbolicShape A, SymbolicShape B) : SymbolicShape;

/// <summary>
/// Infers symbolic shapes of forward values and of backward expressions. Only facts that hold
/// for every runtime shape are used: element-wise results keep their operand's shape, a
/// broadcast of a shape with itself, a scalar, or its own reduction is that shape.
/// </summary>
internal sealed class ShapeInference
{
    private static readonly HashSet<string> Reductions = new() { "Sum", "Mean", "Max" };
    private static readonly HashSet<string> SameShape = new() { "Softmax", "LogSoftmax" };

    private readonly Dictionary<string, SymbolicShape> _named = new();
    private readonly Dictionary<string, PrimitiveOverload> _elementwise;
    private int _opaque;

    public ShapeInference(LayerSpec layer, ForwardSpec forward)
    {
        _elementwise = layer.Functions.SelectMany(f => f.Overloads).Where(o => o.Element is not null)
            .GroupBy(o => o.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var binding in forward.Bindings.Where(b => b.IsTensor))
            _named[binding.Name] = binding.Value is Call call && binding.Primitive?.Name == "Track" ? Of(call[1]) : Of(binding.Value);
        if (forward.Output is TensorRef output) _named[ReverseMode.Seed] = Of(output);
    }

    /// <summary>Records the shape of a backward local.</summary>
    public void Name(string name, Expr value) => _named[name] = Of(value);

    public SymbolicShape Of(Expr e) => e switch
    {
        TensorRef t => _named.TryGetValue(t.Name, out var s) ? s : new OpaqueShape(t.Name),
        ScalarExpr => ScalarShape.Instance,
        Call c => OfCall(c),
        _ => Fresh(),
    };

    private SymbolicShape OfCall(Call c)
    {
        switch (c.Function)
        {
            case "SumTo" or "Broadcast" or "ExpandReduced" or "Reshape" or "Zeros" when c.Args.Count >= 2 && ShapeTarget(c[1]) is { } target:
                return Of(new TensorRef(target.Tensor));
            case "Zeros" when c[0] is ShapeOf target:
                return Of(new TensorRef(target.Tensor));
            case "ZerosLike":
                return Of(c[0]);
            case var f when Reductions.Contains(f):
                if (c.Args.Count == 1) return ScalarShape.Instance;
                var axes = ConstantAxes(c[1]);
                return axes is null || c.Args.Count < 3 || c[2] is not ScalarExpr { IsConstant: true } keep
                    ? Fresh()
                    : new ReducedShape(Of(c[0]), axes.Value, keep.Text == "true");
            case var f when SameShape.Contains(f):
                return Of(c[0]);
            case var f when _elementwise.ContainsKey(f) || f is "Add" or "Subtract" or "Multiply" or "Divide" or "Negate":
                return c.Args.Select(a => Of(a.Value)).Aggregate(Broadcast);
            default:
                return Fresh();
        }
    }

    public static SymbolicShape Broadcast(SymbolicShape a, SymbolicShape b)
    {
        if (a.Equals(b) || b is ScalarShape) return a;
        if (a is ScalarShape) return b;
        if (b is ReducedShape rb && rb.BroadcastsBackTo(a)) return a;
        if (a is ReducedShape ra && ra.BroadcastsBackTo(b)) return b;
        return new BroadcastShape(a, b);
    }

    /// <summary>The tensor whose shape an argument is: <c>x.Shape</c>, as the backward or as a
    /// forward's scalar expression holds it.</summary>
    private static ShapeOf? ShapeTarget(Expr e) => e switch
    {
        ShapeOf s => s,
        ScalarExpr { Text: "{0}", Holes: [ShapeOf s] } => s,
        _ => null,
    };

    private SymbolicShape Fresh() => new OpaqueShape("?" + ++_opaque);

    private static EquatableArray<int>? ConstantAxes(Expr e)
    {
        if (e is not ScalarExpr { IsConstant: true } s) return null;
        var text = s.Text.Trim().TrimStart('[').TrimEnd(']');
        var parts = text.Split(',');
        var axes = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p.Trim(), out var axis) || axis < 0) return null;
            axes.Add(axis);
        }
        axes.Sort();
        return axes.ToEquatableArray();
    }
}
