using System.Collections.Generic;
using System.Linq;
using Grad.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Grad.Generators.Parsing;

/// <summary>Reads primitives and their derivative rules from metadata: the public static
/// functions of Grad.Ops and of any other class that declares primitives a layer uses.</summary>
internal static class FunctionTable
{
    public static PrimitiveOverload? ReadPrimitive(IMethodSymbol method, KnownTypes types)
    {
        var primitive = types.Find(method, types.Primitive);
        if (primitive is null) return null;
        var named = primitive.NamedArguments.ToDictionary(a => a.Key, a => a.Value);
        var rules = Attributes(method, types.Derivative)
            .Select(a => new RuleInfo(a.ConstructorArguments[0].Value as string ?? "", a.ConstructorArguments[1].Value as string ?? ""))
            .ToEquatableArray();
        var rewrites = Attributes(method, types.Rewrite)
            .Select(a => new RewriteInfo(a.ConstructorArguments[0].Value as string ?? "", a.ConstructorArguments[1].Value as string ?? ""))
            .ToEquatableArray();
        var facts = new OpFacts(
            EnumMember(named, "Kind", OpKind.General),
            Text(named, "Shape"),
            Text(named, "Operator"),
            EnumMember(named, "Role", OpRole.None),
            named.TryGetValue("Linear", out var linear) && linear.Value is true,
            Text(named, "Update"),
            rewrites);
        var parameters = method.Parameters
            .Select(p => new ParamInfo(p.Name, types.IsTensor(p.Type), types.Has(p, types.NonDifferentiable), DefaultText(p)))
            .ToEquatableArray();
        return new PrimitiveOverload(method.Name, parameters, named.TryGetValue("Broadcasts", out var b) && b.Value is true,
            Text(named, "Element"), types.Has(method, types.NonDifferentiable), rules, facts);
    }

    private static IEnumerable<AttributeData> Attributes(IMethodSymbol method, INamedTypeSymbol? attribute) =>
        method.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute) && a.ConstructorArguments.Length == 2);

    private static string? Text(Dictionary<string, TypedConstant> named, string property) =>
        named.TryGetValue(property, out var value) ? value.Value as string : null;

    /// <summary>An enum property of the attribute, matched by its member's name (the generator
    /// does not reference Grad.Core, so it cannot share the enum itself).</summary>
    private static T EnumMember<T>(Dictionary<string, TypedConstant> named, string property, T none) where T : struct
    {
        if (!named.TryGetValue(property, out var value) || value.Type is null) return none;
        var member = value.Type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value));
        return member is not null && System.Enum.TryParse<T>(member.Name, out var parsed) ? parsed : none;
    }

    /// <summary>Every public static function of the given classes, grouped by name.</summary>
    public static EquatableArray<FunctionInfo> Build(IEnumerable<INamedTypeSymbol> classes, KnownTypes types)
    {
        var byName = new SortedDictionary<string, List<IMethodSymbol>>(System.StringComparer.Ordinal);
        foreach (var type in classes)
        {
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (!method.IsStatic || method.DeclaredAccessibility != Accessibility.Public || method.MethodKind != MethodKind.Ordinary) continue;
                if (!byName.TryGetValue(method.Name, out var list)) byName[method.Name] = list = new List<IMethodSymbol>();
                list.Add(method);
            }
        }
        return byName.Select(kv => new FunctionInfo(
                kv.Key,
                kv.Value[0].ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                kv.Value.All(m => types.IsTensor(m.ReturnType)),
                kv.Value.Select(m => ReadPrimitive(m, types)).Where(p => p is not null).Select(p => p!).ToEquatableArray()))
            .ToEquatableArray();
    }

    /// <summary>A parameter's default value as C# text, or null when it has none.</summary>
    internal static string? DefaultText(IParameterSymbol p)
    {
        if (!p.HasExplicitDefaultValue) return null;
        return p.ExplicitDefaultValue switch
        {
            null => "default",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
            string s => "\"" + s + "\"",
            var v => System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
