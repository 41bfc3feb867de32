using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Grad.Generators;

/// <summary>Every diagnostic the generator reports. Each says what is wrong and how to fix it;
/// anything the generator cannot differentiate becomes one of these, never a crash or silently
/// wrong code.</summary>
internal static class Diagnostics
{
    private const string Category = "Grad.Generators";
    private const string HelpLink = "https://github.com/grad-dotnet/grad/blob/main/docs/declaring-layers.md#diagnostics";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink + "-" + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor NotARecord = Error("GRAD001",
        "A layer must be a record",
        "'{0}' is marked [Layer] but is not a record; declare it as 'public sealed partial record {0}(...)'");

    public static readonly DiagnosticDescriptor NotPartial = Error("GRAD002",
        "A layer must be partial",
        "Layer '{0}' must be declared 'partial' so that Grad can add its backward to it");

    public static readonly DiagnosticDescriptor NoForward = Error("GRAD003",
        "A layer needs exactly one [Forward] method",
        "Layer '{0}' {1}; mark the one method that computes the layer's output with [Forward]");

    public static readonly DiagnosticDescriptor NoDerivativeRule = Error("GRAD004",
        "Call without a derivative rule",
        "'{0}' has no derivative rule; call a [Primitive] with [Derivative] rules or a sub-layer's forward, or declare '{0}' as a [Primitive] with its rules");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("GRAD005",
        "Unsupported statement in a forward",
        "A forward cannot contain {0}; write it as 'var' locals followed by one 'return' (loops and branches are not differentiated)");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("GRAD006",
        "Unsupported expression in a forward",
        "'{0}' cannot be differentiated: {1}");

    public static readonly DiagnosticDescriptor BadForwardSignature = Error("GRAD007",
        "Unsupported forward signature",
        "Forward '{0}' {1}");

    public static readonly DiagnosticDescriptor MemberNotTensor = Error("GRAD008",
        "[Param] and [State] members must be tensors",
        "'{0}' is marked [{1}] but has type '{2}'; parameters and state are Grad.Tensor values");

    public static readonly DiagnosticDescriptor Mutation = Error("GRAD009",
        "A forward must not mutate",
        "The forward assigns to '{0}'; layers are immutable: compute the value in a new 'var' local instead");

    public static readonly DiagnosticDescriptor BadRule = Error("GRAD010",
        "Malformed derivative rule",
        "The derivative rule \"{1}\" of primitive '{0}' cannot be used: {2}");

    public static readonly DiagnosticDescriptor MissingRule = Error("GRAD011",
        "Primitive without a rule for a parameter",
        "Primitive '{0}' has no [Derivative] for tensor parameter '{1}', which this forward needs a gradient through; add the rule or mark the parameter [NonDifferentiable]");

    public static readonly DiagnosticDescriptor LayerCalledTwice = Error("GRAD012",
        "A sub-layer is called more than once",
        "Sub-layer '{0}' is called more than once in the forward; declare a second member for the second use (weight sharing is not supported yet)");

    public static readonly DiagnosticDescriptor InternalError = Error("GRAD013",
        "The generator failed",
        "Grad's generator failed on layer '{0}': {1}; no code was generated for it. Please report this with the layer's source.");

    public static readonly DiagnosticDescriptor BadFormula = Error("GRAD014",
        "Element formula outside the element language",
        "The element formula of '{0}' cannot be compiled: {2}; the language and its functions are listed in docs/declaring-layers.md#the-element-language (formula: \"{1}\")");

    public static readonly DiagnosticDescriptor BadKernelSignature = Error("GRAD015",
        "Malformed element-wise kernel declaration",
        "'{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor PartialWithoutFormula = Error("GRAD016",
        "A partial primitive needs an Element formula",
        "Primitive '{0}' is partial but has no Element formula to generate its body from; add [Primitive(Element = \"...\")] or give the method a body");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Error("GRAD017",
        "A member has the name of a generated member",
        "Layer '{0}' declares '{1}', which Grad generates for every layer ({2}); rename it");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Error("GRAD018",
        "Unsupported member declaration in a layer",
        "'{0}' {1}");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
    {
        NotARecord, NotPartial, NoForward, NoDerivativeRule, UnsupportedStatement, UnsupportedExpression,
        BadForwardSignature, MemberNotTensor, Mutation, BadRule, MissingRule, LayerCalledTwice, InternalError,
        BadFormula, BadKernelSignature, PartialWithoutFormula, GeneratedNameTaken, UnsupportedDeclaration,
    }.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];
}
