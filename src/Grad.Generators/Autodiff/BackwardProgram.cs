using System.Collections.Generic;
using Grad.Generators.Model;

namespace Grad.Generators.Autodiff;

/// <summary>A statement of the derived backward.</summary>
internal abstract record Statement(string Comment);

/// <summary><c>var Name = Value;</c>. An adjoint of a temporary (not a user's local) is
/// <paramref name="Inlinable"/>: if one expression reads it, it is substituted there.</summary>
internal sealed record Assign(string Name, Expr Value, string Comment, bool Inlinable) : Statement(Comment);

/// <summary><c>var (dA, dB, dLayer) = Member.Backward(tape.Member, Gradient);</c>; a null
/// input name is an input without gradient.</summary>
internal sealed record SubLayerBackward(string Member, Expr Gradient, IReadOnlyList<string?> InputGradients, string LayerGradient, string Comment)
    : Statement(Comment);

/// <summary>The derived backward of one forward: statements in order, then the gradient of
/// every input that takes one and of every [Param] and sub-layer member.</summary>
internal sealed record BackwardProgram(
    IReadOnlyList<Statement> Statements,
    IReadOnlyList<(string Input, Expr Gradient)> InputGradients,
    IReadOnlyList<(string Member, Expr Gradient)> MemberGradients);
