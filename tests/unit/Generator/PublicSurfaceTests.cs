using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using Grad.Backends;
using Grad.Fusion;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grad.Tests.Unit.Generator;

/// <summary>
/// What a user sees in completion: members that exist only for generated code are hidden with
/// [EditorBrowsable(Never)], and layers do not show the untyped <see cref="ILayer"/> plumbing.
/// </summary>
public partial class PublicSurfaceTests
{
    /// <summary>The Grad.Core types generated code may use that are part of the user's API: a
    /// layer's values and interfaces. Ops functions are user API when they are primitives or
    /// named in a derivative rule (users write forwards and rules with them).</summary>
    private static readonly HashSet<Type> UserTypes =
    [
        typeof(Tensor), typeof(Shape), typeof(TensorScope), typeof(ILayer), typeof(ILayer<>), typeof(ITape),
        typeof(NamedTensor), typeof(Conv2dGeometry), typeof(Ops),
    ];

    [Fact]
    public void Every_Grad_member_generated_code_uses_is_user_API_or_hidden_from_completion()
    {
        var vocabulary = RuleVocabulary();
        var used = GeneratedCodeSymbols();
        // The scan sees the support members: fused kernels, their rows and vector functions, state updates.
        foreach (var support in new[] { nameof(Ops.Fused), nameof(ElementwiseKernel), "ElementwiseRow", nameof(VectorMath.Greater), nameof(Ops.UpdateTracked) })
            Assert.Contains(used, s => s.MetadataName.StartsWith(support, StringComparison.Ordinal));
        var visible = used
            .Where(s => !Hidden(s))
            .Where(s => !(s is INamedTypeSymbol && UserTypes.Any(t => Named(s, t))))
            .Where(s => !(s.ContainingType is { } owner && UserTypes.Any(t => Named(owner, t))
                          && !(Named(owner, typeof(Ops)) && !vocabulary.Contains(s.Name))))
            .Select(s => s.ToDisplayString())
            .Distinct()
            .Order()
            .ToList();
        Assert.True(visible.Count == 0,
            "generated code calls public members that are neither user API nor marked [EditorBrowsable(EditorBrowsableState.Never)]:\n"
            + string.Join("\n", visible));
    }

    [Fact]
    public void The_support_members_and_every_type_of_Grad_Fusion_are_hidden()
    {
        var ops = typeof(Ops).GetMethods(BindingFlags.Public | BindingFlags.Static);
        var members = new List<MemberInfo>(ops.Where(m => m.Name is nameof(Ops.Fused) or nameof(Ops.FusedOutputs)
            or nameof(Ops.FusedInto) or nameof(Ops.UpdateTracked) or nameof(Ops.TargetRows)));
        Assert.Equal(5, members.Count);
        members.AddRange(typeof(ElementwiseKernel).Assembly.GetExportedTypes().Where(t => t.Namespace == "Grad.Fusion"));
        Assert.Contains(typeof(ElementwiseRow<>), members);
        Assert.Contains(typeof(VectorMath), members);
        foreach (var member in members)
            Assert.True(member.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never,
                $"{member.DeclaringType?.Name}.{member.Name} should be [EditorBrowsable(EditorBrowsableState.Never)]");
    }

    [Fact]
    public void Layers_implement_the_untyped_ILayer_members_explicitly()
    {
        var untyped = typeof(ILayer).GetMethods().Where(m => m.Name.EndsWith("Untyped", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, untyped.Count);
        var layers = typeof(ILayer).Assembly.GetExportedTypes().Where(t => t.IsClass && typeof(ILayer).IsAssignableFrom(t)).ToList();
        Assert.Contains(typeof(Grad.Layers.Linear), layers);
        Assert.Contains(typeof(Grad.Layers.Sequential), layers);
        foreach (var layer in layers)
        {
            Assert.DoesNotContain(layer.GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name.EndsWith("Untyped", StringComparison.Ordinal));
            var map = layer.GetInterfaceMap(typeof(ILayer));
            foreach (var method in untyped)
                Assert.True(map.TargetMethods[Array.IndexOf(map.InterfaceMethods, method)].IsPrivate, $"{layer.Name} implements {method.Name} publicly");
        }
    }

    /// <summary>Every Grad.Core symbol referenced by the code generated for the built-in layers.</summary>
    private static List<ISymbol> GeneratedCodeSymbols()
    {
        var layerFiles = Directory.GetFiles(Path.Combine(Snapshot.Root, "src/Grad.Core/Layers"), "*.cs")
            .Where(f => File.ReadAllText(f).Contains("[Layer]", StringComparison.Ordinal))
            .Select(File.ReadAllText);
        var compilation = GeneratorHarness.Compilation(
            ["global using System;\nglobal using System.Linq;\nglobal using System.Collections.Generic;\nglobal using static Grad.Ops;", .. layerFiles]);
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var generated = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(generated);
        var core = typeof(Tensor).Assembly.GetName().Name;
        var symbols = new List<ISymbol>();
        foreach (var tree in generated)
        {
            var model = output.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (model.GetSymbolInfo(name).Symbol is { } symbol && symbol.ContainingAssembly?.Name == core && symbol is ITypeSymbol or IMethodSymbol or IPropertySymbol or IFieldSymbol)
                    symbols.Add(symbol.OriginalDefinition);
            }
        }
        return symbols;
    }

    /// <summary>Ops members that are primitives or appear in some primitive's derivative rule.</summary>
    private static HashSet<string> RuleVocabulary()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in typeof(Ops).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (method.GetCustomAttribute<PrimitiveAttribute>() is not null) names.Add(method.Name);
            foreach (var rule in method.GetCustomAttributes<DerivativeAttribute>())
                foreach (Match call in CalledName().Matches(rule.Formula)) names.Add(call.Groups[1].Value);
        }
        return names;
    }

    private static bool Hidden(ISymbol symbol)
    {
        for (var s = symbol; s is not null; s = s.ContainingType)
        {
            if (s.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(EditorBrowsableAttribute)
                                           && a.ConstructorArguments is [{ Value: (int)EditorBrowsableState.Never }]))
                return true;
        }
        return false;
    }

    private static bool Named(ISymbol symbol, Type type) =>
        symbol.ContainingNamespace?.ToDisplayString() == type.Namespace && symbol.MetadataName == type.Name;

    [GeneratedRegex(@"\b([A-Z]\w*)\s*\(")]
    private static partial Regex CalledName();
}
