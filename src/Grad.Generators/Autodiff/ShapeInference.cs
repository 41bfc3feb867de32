using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

/// <summary>A shape with its last two axes swapped.</summary>
internal sealed record TransposedShape(SymbolicShape Of) : SymbolicShape
{
    public static SymbolicShape Swap(SymbolicShape shape) => shape is TransposedShape t ? t.Of : new TransposedShape(shape);
}

/// <summary>The shape of a matrix product (NumPy's matmul rule).</summary>
internal sealed record ProductShape(SymbolicShape A, SymbolicShape B) : SymbolicShape;

/// <summary>
/// Infers symbolic shapes of forward values and of backward expressions from the primitives'
/// declared shape rules. Only facts that hold for every runtime shape are used: element-wise
/// results are their operands' broadcast, and a broadcast of a shape with itself, a scalar, or
/// its own reduction is that shape.
/// </summary>
internal sealed class ShapeInference
{
    private readonly Dictionary<string, SymbolicShape> _named = new();
    private readonly PrimitiveTable _table;
    private int _opaque;

    public ShapeInference(PrimitiveTable table, ForwardSpec forward, string seed)
    {
        _table = table;
        foreach (var binding in forward.Bindings.Where(b => b.IsTensor)) _named[binding.Name] = Of(binding.Value);
        if (forward.Output is TensorRef output) _named[seed] = Of(output);
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
        var primitive = _table.Of(c);
        if (primitive is null) return Fresh();
        if (primitive.Element is not null) return c.Args.Select(a => Of(a.Value)).Aggregate(Broadcast);
        return primitive.Facts.Shape is { } rule ? ByRule(SyntaxFactory.ParseExpression(rule), primitive, c) ?? Fresh() : Fresh();
    }

    /// <summary>Evaluates a declared shape rule (see Grad.PrimitiveAttribute.Shape) at a call.</summary>
    private SymbolicShape? ByRule(ExpressionSyntax rule, PrimitiveOverload primitive, Call c)
    {
        Expr? Argument(ExpressionSyntax name)
        {
            int i = name is IdentifierNameSyntax id ? primitive.Params.Select(p => p.Name).ToList().IndexOf(id.Identifier.ValueText) : -1;
            return i >= 0 && i < c.Args.Count ? c[i] : null;
        }
        switch (rule)
        {
            case IdentifierNameSyntax when Argument(rule) is { } value:
                return value is TensorRef or Call ? Of(value) : ShapeTarget(value) is { } target ? Of(new TensorRef(target.Tensor)) : null;
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax function } call:
                var args = call.ArgumentList.Arguments.Select(a => Argument(a.Expression)).ToList();
                if (args.Count == 0 || args.Any(a => a is null)) return null;
                switch (function.Identifier.ValueText, args.Count)
                {
                    case ("Reduced", 1):
                        return ScalarShape.Instance;
                    case ("Reduced", 3):
                        var axes = ConstantAxes(args[1]!);
                        return axes is null || args[2] is not ScalarExpr { IsConstant: true } keep
                            ? null
                            : new ReducedShape(Of(args[0]!), axes.Value, keep.Text == "true");
                    case ("Transposed", 1):
                        return TransposedShape.Swap(Of(args[0]!));
                    case ("MatrixProduct", 2):
                        return new ProductShape(Of(args[0]!), Of(args[1]!));
                }
                return null;
            default:
                return null;
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
    public static ShapeOf? ShapeTarget(Expr e) => e switch
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
