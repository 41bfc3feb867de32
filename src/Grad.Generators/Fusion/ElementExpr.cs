using System.Collections.Generic;

namespace Grad.Generators.Fusion;

/// <summary>
/// One element of a fused chain, in the small language of the primitives' <c>Element</c>
/// formulas. It is independent of any target: the C# emitter and the OpenCL emitter each print
/// it their own way.
/// </summary>
internal abstract record ElementExpr;

/// <summary>The current element of tensor input k.</summary>
internal sealed record ElementInput(int Index) : ElementExpr;

/// <summary>Scalar argument k (a hyper-parameter or a count, passed as a double).</summary>
internal sealed record ElementScalar(int Index) : ElementExpr;

internal sealed record ElementConstant(double Value) : ElementExpr;

/// <summary>+ − × ÷ (Operator is the C symbol), or unary minus when B is null.</summary>
internal sealed record ElementArithmetic(string Operator, ElementExpr A, ElementExpr? B) : ElementExpr;

/// <summary>A comparison giving 1 where it holds and 0 elsewhere (Operator: &gt; &lt; &gt;= &lt;= == !=).</summary>
internal sealed record ElementComparison(string Operator, ElementExpr A, ElementExpr B) : ElementExpr;

/// <summary>A where Condition is non-zero, else B.</summary>
internal sealed record ElementSelect(ElementExpr Condition, ElementExpr A, ElementExpr B) : ElementExpr;

/// <summary>exp, log, sqrt, tanh, abs, max, min or pow.</summary>
internal sealed record ElementFunction(string Name, IReadOnlyList<ElementExpr> Args) : ElementExpr
{
    public static readonly HashSet<string> Known = new() { "exp", "log", "sqrt", "tanh", "abs", "max", "min", "pow" };
}

/// <summary>A fused kernel: its body over numbered inputs and scalars, and the expression over
/// the layer's own names that it computes (printed beside every use, for the reader).</summary>
internal sealed record FusedKernel(string Name, int InputCount, int ScalarCount, ElementExpr Body, Model.Expr Original);
