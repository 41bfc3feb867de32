using System;
using System.Linq;

namespace Grad.Generators.Model;

/// <summary>
/// The generator's expression language: what forward bodies are parsed into and what derivative
/// rules are instantiated into. Records compare structurally, so equal subexpressions are equal
/// values (the basis of common-subexpression elimination) and pipeline models stay cacheable.
/// </summary>
internal abstract record Expr;

/// <summary>A named tensor: a forward input, a [Param]/[State] member, a forward binding, or
/// (in backward code) the upstream gradient <c>g</c> and the adjoints.</summary>
internal sealed record TensorRef(string Name) : Expr
{
    public override string ToString() => Name;
}

/// <summary>A non-tensor C# expression (a literal, a hyper-parameter, an axis list), with holes
/// <c>{0}</c>, <c>{1}</c>… for the forward values it depends on (shapes of tensors, scalar
/// locals), so the backward can read them from the tape.</summary>
internal sealed record ScalarExpr(string Text, EquatableArray<Expr> Holes) : Expr
{
    public ScalarExpr(string text) : this(text, EquatableArray<Expr>.Empty) { }

    public bool IsConstant => Holes.Count == 0;

    /// <summary>The value of a numeric literal (<c>2.0</c>, <c>-1</c>, <c>0.5f</c>), else null.</summary>
    /// A <c>float</c> literal is its float value (0.1f is 0.100000001490116…, not 0.1).
    public double? Number
    {
        get
        {
            if (!IsConstant) return null;
            const System.Globalization.NumberStyles style = System.Globalization.NumberStyles.Float;
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            if (Text.EndsWith("f") || Text.EndsWith("F"))
                return float.TryParse(Text.Substring(0, Text.Length - 1), style, invariant, out var f) ? f : null;
            return double.TryParse(Text.TrimEnd('d', 'D'), style, invariant, out var v) ? v : null;
        }
    }

    public override string ToString() => Holes.Count == 0 ? Text : string.Format(Text, Holes.Select(h => (object)h.ToString()).ToArray());
}

/// <summary>The shape of a tensor value (saving it costs no tensor).</summary>
internal sealed record ShapeOf(string Tensor) : Expr
{
    public override string ToString() => Tensor + ".Shape";
}

/// <summary>A named scalar local of the forward (<c>var m = x.Shape[0];</c>).</summary>
internal sealed record ScalarRef(string Name) : Expr
{
    public override string ToString() => Name;
}

/// <summary>A call of a function by name (a primitive, or a helper such as SumTo).</summary>
internal sealed record Call(string Function, EquatableArray<Arg> Args) : Expr
{
    public Call(string function, params Expr[] args) : this(function, args.Select(a => new Arg(null, a)).ToEquatableArray()) { }

    public Expr this[int index] => Args[index].Value;

    public override string ToString() => Function + "(" + string.Join(", ", Args.Select(a => a.ToString())) + ")";
}

internal readonly record struct Arg(string? Name, Expr Value)
{
    public override string ToString() => Name is null ? Value.ToString() : Name + ": " + Value;
}

/// <summary>A call of a sub-layer's forward (<c>Conv1.Forward(x)</c>): differentiated through
/// the sub-layer's own generated backward.</summary>
internal sealed record LayerCall(string Member, string LayerType, EquatableArray<Expr> Inputs, EquatableArray<bool> InputsWithGradient) : Expr;

/// <summary>A call of a fused element-wise kernel of this layer (see Fusion).</summary>
internal sealed record FusedCall(string Kernel, EquatableArray<Expr> Inputs, EquatableArray<Expr> Scalars) : Expr;

/// <summary><c>Condition ? WhenTrue : WhenFalse</c> on a bool that is known before the forward
/// computes anything (a member, a bool argument). The generator never differentiates it: it
/// specialises the forward for each value (see Autodiff.Branches) and the backward follows the
/// branch the tape records.</summary>
internal sealed record Choice(ScalarRef Condition, Expr WhenTrue, Expr WhenFalse) : Expr;
