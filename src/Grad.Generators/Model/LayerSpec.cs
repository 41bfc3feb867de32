namespace Grad.Generators.Model;

/// <summary>Everything the generator needs about one [Layer] record, as plain equatable data
/// (no symbols, no syntax), so the emit stage reruns only when this changes.</summary>
/// <param name="Nesting">The namespace and the containing types the partial is declared in.</param>
/// <param name="TypeName">The record as C# names it inside itself (<c>Pair&lt;T&gt;</c>).</param>
/// <param name="HintName">The generated file's name, unique in the compilation.</param>
/// <param name="DeclaredNames">Every name the record declares or inherits (members, primary
/// constructor parameters), which generated locals must not shadow.</param>
internal sealed record LayerSpec(
    Kernels.TypeNesting Nesting,
    string Name,
    string TypeName,
    string HintName,
    EquatableArray<string> DeclaredNames,
    EquatableArray<MemberSpec> Members,
    ForwardSpec? Forward,
    bool HasManualBackward,
    EquatableArray<FunctionInfo> Functions,
    EquatableArray<DiagnosticInfo> Diagnostics,
    int MaxKernelInputs)
{
    public string? Namespace => Nesting.Namespace;
}

internal enum MemberKind
{
    Param,
    State,
    Layer,
}

/// <summary>A tensor or sub-layer member of a layer record.</summary>
internal sealed record MemberSpec(string Name, MemberKind Kind, string TypeName);

/// <summary>The parsed forward: inputs, bindings in A-normal form (each binding applies one
/// primitive or sub-layer to named values), and the returned value.</summary>
internal sealed record ForwardSpec(
    string MethodName,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<Binding> Bindings,
    Expr Output);

/// <summary>A forward parameter: a tensor, or a number or bool (<paramref name="ScalarType"/> set)
/// that takes no gradient and reaches the backward through the tape. <paramref name="DefaultValue"/>
/// is the C# text of its default, if it has one.</summary>
internal sealed record InputSpec(string Name, bool NoGrad, string? ScalarType = null, string? DefaultValue = null)
{
    public bool IsTensor => ScalarType is null;

    /// <summary>The backward returns a gradient for it.</summary>
    public bool TakesGradient => IsTensor && !NoGrad;
}

/// <summary><c>var Name = Value;</c> in the forward. <paramref name="ScalarType"/> is set for
/// non-tensor locals. <paramref name="Primitive"/> is the overload a tensor call resolved to.
/// <paramref name="Source"/> is the forward text it came from, for comments, and
/// <paramref name="Location"/> where, for diagnostics.</summary>
internal sealed record Binding(string Name, Expr Value, string? ScalarType, PrimitiveOverload? Primitive, string Source, bool UserNamed, LocationInfo? Location)
{
    public bool IsTensor => ScalarType is null;
}

/// <summary>A public static function that rules and forwards may call: its class (fully
/// qualified), whether it yields a tensor, and its [Primitive] overloads.</summary>
internal sealed record FunctionInfo(string Name, string ContainingType, bool ReturnsTensor, EquatableArray<PrimitiveOverload> Overloads);

/// <summary>A [Primitive] overload and the facts its attribute declares (see Grad.PrimitiveAttribute:
/// the generator knows a primitive by these, never by its name).</summary>
internal sealed record PrimitiveOverload(
    string Name,
    EquatableArray<ParamInfo> Params,
    bool Broadcasts,
    string? Element,
    bool NonDifferentiable,
    EquatableArray<RuleInfo> Rules,
    OpFacts Facts);

/// <summary>Kind, shape rule, operator, role, linearity, state update and rewrites of a primitive.</summary>
internal sealed record OpFacts(
    OpKind Kind,
    string? Shape,
    string? Operator,
    OpRole Role,
    bool Linear,
    string? Update,
    EquatableArray<RewriteInfo> Rewrites)
{
    public static OpFacts None { get; } = new(OpKind.General, null, null, OpRole.None, false, null, EquatableArray<RewriteInfo>.Empty);
}

/// <summary>Grad.PrimitiveKind, read by member name.</summary>
internal enum OpKind
{
    General,
    View,
    Reduction,
    StateUpdate,
}

/// <summary>Grad.PrimitiveRole, read by member name.</summary>
internal enum OpRole
{
    None,
    SumTo,
    Zeros,
}

internal sealed record RewriteInfo(string Pattern, string Replacement);

internal sealed record ParamInfo(string Name, bool IsTensor, bool NonDifferentiable, string? DefaultValue);

internal sealed record RuleInfo(string Parameter, string Formula);
