using Grad.Generators.Fusion;
using Grad.Generators.Model;

namespace Grad.Generators.Kernels;

/// <summary>Where generated code goes: the namespace and the declarations of the types that
/// contain it, outermost first (<c>partial class Ops</c>), as plain equatable data.</summary>
internal sealed record TypeNesting(string? Namespace, EquatableArray<string> Types);

/// <summary>
/// An element-wise kernel the generator writes from a formula: a partial <c>[Primitive]</c>
/// method with an <c>Element</c> formula (the generator writes the method's body and its kernel),
/// or a partial class marked <c>[Elementwise]</c> (the generator writes the class's members).
/// </summary>
/// <param name="ClassName">The kernel class.</param>
/// <param name="DisplayName">Its name in messages and profiles.</param>
/// <param name="Method">For a primitive: the implementing declaration's signature and its call.</param>
/// <param name="Formula">The formula as written, for the generated documentation.</param>
internal sealed record KernelSpec(
    TypeNesting Nesting,
    string HintName,
    string ClassName,
    string DisplayName,
    int InputCount,
    int ScalarCount,
    ElementProgram? Program,
    PrimitiveMethod? Method,
    string Formula,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A partial element-wise primitive: the signature of its implementing part and the
/// tensor and scalar arguments its kernel is called with, in order.</summary>
internal sealed record PrimitiveMethod(string Signature, EquatableArray<string> Tensors, EquatableArray<string> Scalars);
