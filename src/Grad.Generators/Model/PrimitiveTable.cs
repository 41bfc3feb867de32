using System;
using System.Collections.Generic;
using System.Linq;

namespace Grad.Generators.Model;

/// <summary>
/// The primitives in reach of one layer, looked up by what they declare: the overload a call
/// resolves to, the primitive that implements a C# operator, the one that plays a role in the
/// backward. The generator holds no primitive names; every name it writes comes from here.
/// </summary>
internal sealed class PrimitiveTable
{
    private readonly Dictionary<string, FunctionInfo> _functions;
    private readonly List<PrimitiveOverload> _primitives;

    public PrimitiveTable(IEnumerable<FunctionInfo> functions)
    {
        _functions = functions.ToDictionary(f => f.Name);
        _primitives = _functions.Values.SelectMany(f => f.Overloads).ToList();
    }

    public IReadOnlyDictionary<string, FunctionInfo> Functions => _functions;

    /// <summary>The overload a call resolves to: the first primitive of its name with as many
    /// parameters as the call has arguments (calls carry their defaults), else the first.</summary>
    public PrimitiveOverload? Of(Call call) =>
        _functions.TryGetValue(call.Function, out var f)
            ? f.Overloads.FirstOrDefault(o => o.Params.Count == call.Args.Count) ?? f.Overloads.FirstOrDefault()
            : null;

    public OpFacts Facts(Call call) => Of(call)?.Facts ?? OpFacts.None;

    public bool IsView(Call call) => Facts(call).Kind == OpKind.View;

    /// <summary>The primitive implementing a C# operator on <paramref name="arity"/> operands
    /// (<c>-</c> with one operand is negation), or null when none declares it.</summary>
    public string? Implementing(string op, int arity) =>
        _primitives.FirstOrDefault(p => p.Facts.Operator == op && p.Params.Count == arity)?.Name;

    /// <summary>The operator a call prints as, or null when it is a plain call.</summary>
    public string? OperatorOf(Call call) =>
        Of(call) is { Facts.Operator: { } op } overload && overload.Params.Count == call.Args.Count && call.Args.All(a => a.Name is null) ? op : null;

    /// <summary>The primitive that plays a role in backward code; the role is required.</summary>
    public string WithRole(OpRole role) =>
        _primitives.FirstOrDefault(p => p.Facts.Role == role)?.Name
        ?? throw new InvalidOperationException($"no primitive in reach declares Role = PrimitiveRole.{role}");

    /// <summary>Every declared rewrite, with the primitive that declares it.</summary>
    public IEnumerable<(string Primitive, RewriteInfo Rewrite)> Rewrites =>
        _primitives.SelectMany(p => p.Facts.Rewrites.Select(r => (p.Name, r))).Distinct();
}
