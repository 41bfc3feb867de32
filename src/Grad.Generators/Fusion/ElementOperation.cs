using System.Collections.Generic;

namespace Grad.Generators.Fusion;

/// <summary>
/// One operation of the element language and everything a target needs to run it: how it is
/// spelled in C# over scalars of <c>T</c>, in C# over <c>Vector256&lt;T&gt;</c>, and in OpenCL C
/// over <c>real</c> (each a pattern with <c>{0}</c>, <c>{1}</c>… for the operands), and what it
/// does with NaN, infinities and signed zeros, which every spelling must agree on.
/// </summary>
/// <param name="Name">The operator (<c>+</c>, <c>neg</c> for unary minus, <c>&gt;</c>, <c>?:</c>…) or function name.</param>
/// <param name="Vector">Null when there is no vector form: a kernel that uses it runs element by element.</param>
/// <param name="CSharpHelper">A method the C# spellings call, emitted into each kernel that uses it.</param>
/// <param name="OpenCLHelper">A function the OpenCL spelling calls, emitted into each kernel's OpenCL source.</param>
/// <param name="Dense">Whole-row calls into <c>TensorPrimitives</c> for a kernel that is this one operation,
/// by operand pattern (<c>v</c>: a dense row, <c>s</c>: one value), with <c>{y}</c> for the output row.</param>
internal sealed record ElementOperation(
    string Name,
    ElementKind Kind,
    int Arity,
    string Scalar,
    string? Vector,
    string OpenCL,
    string Semantics,
    string? CSharpHelper = null,
    string? OpenCLHelper = null,
    IReadOnlyDictionary<string, string>? Dense = null)
;

/// <summary>How an operation is written in a formula.</summary>
internal enum ElementKind
{
    /// <summary>A C# operator: <c>a + b</c>, <c>-a</c>, <c>c ? a : b</c>.</summary>
    Operator,
    /// <summary><c>a &gt; b ? 1 : 0</c>: 1 where it holds, else 0.</summary>
    Comparison,
    /// <summary>A call by name: <c>exp(x)</c>.</summary>
    Function,
}
