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
        bool broadcasts = false;
        string? element = null;
        foreach (var named in primitive.NamedArguments)
        {
            if (named.Key == "Broadcasts" && named.Value.Value is bool b) broadcasts = b;
            if (named.Key == "Element" && named.Value.Value is string e) element = e;
        }
        var rules = method.GetAttributes()
            .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, types.Derivative) && a.ConstructorArguments.Length == 2)
            .Select(a => new RuleInfo(a.ConstructorArguments[0].Value as string ?? "", a.ConstructorArguments[1].Value as string ?? ""))
            .ToEquatableArray();
        var parameters = method.Parameters
            .Select(p => new ParamInfo(p.Name, types.IsTensor(p.Type), types.Has(p, types.NonDifferentiable), DefaultText(p)))
            .ToEquatableArray();
        return new PrimitiveOverload(method.Name, parameters, broadcasts, element, types.Has(method, types.NonDifferentiable), rules);
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

    private static string? DefaultText(IParameterSymbol p)
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
