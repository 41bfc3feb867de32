using System.Collections.Generic;
using Grad.Generators.Model;

namespace Grad.Generators.Fusion;

/// <summary>
/// One element of a fused computation, in the small language of the primitives' <c>Element</c>
/// formulas. It is independent of any target: <see cref="ElementLanguage"/> says how each
/// operation is spelled in C# (scalar and vector) and in OpenCL C.
/// </summary>
internal abstract record ElementExpr;

/// <summary>The current element of tensor input k.</summary>
internal sealed record ElementInput(int Index) : ElementExpr;

/// <summary>Scalar argument k (a hyper-parameter or a count, passed as a double).</summary>
internal sealed record ElementScalar(int Index) : ElementExpr;

internal sealed record ElementConstant(double Value) : ElementExpr;

/// <summary>Local k of a kernel with <c>var</c> bindings (<see cref="ElementProgram.Locals"/>).</summary>
internal sealed record ElementLocal(int Index) : ElementExpr;

/// <summary>An operation of the element language, by its <see cref="ElementOperation.Name"/>:
/// an operator (<c>+</c>, <c>neg</c>, <c>&gt;</c>, <c>?:</c>…) or a function (<c>exp</c>, <c>max</c>…).</summary>
internal sealed record ElementApply(string Operation, EquatableArray<ElementExpr> Args) : ElementExpr
{
    public ElementApply(string operation, params ElementExpr[] args) : this(operation, args.ToEquatableArray()) { }
}

/// <summary>A whole kernel: named locals computed in order, then one or more outputs.</summary>
internal sealed record ElementProgram(EquatableArray<ElementBinding> Locals, EquatableArray<ElementExpr> Outputs)
{
    public static ElementProgram Of(ElementExpr output) =>
        new(EquatableArray<ElementBinding>.Empty, EquatableArray.Of(output));

    /// <summary>Every expression of the program: locals first, then outputs.</summary>
    public IEnumerable<ElementExpr> Expressions
    {
        get
        {
            foreach (var local in Locals) yield return local.Value;
            foreach (var output in Outputs) yield return output;
        }
    }
}

/// <summary><c>var Name = Value;</c> in a kernel's formula.</summary>
internal sealed record ElementBinding(string Name, ElementExpr Value);

/// <summary>A fused kernel of a layer: its program over numbered inputs and scalars, and the
/// expression over the layer's own names that it computes (printed beside every use, for the reader).</summary>
internal sealed record FusedKernel(string Name, int InputCount, int ScalarCount, ElementExpr Body, Model.Expr Original);
