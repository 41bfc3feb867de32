using System.Linq;
using Microsoft.CodeAnalysis;

namespace Grad.Generators.Parsing;

/// <summary>Grad's types as seen by one compilation, compared by symbol.</summary>
internal sealed class KnownTypes
{
    public const string LayerAttribute = "Grad.LayerAttribute";

    public KnownTypes(Compilation compilation)
    {
        Tensor = compilation.GetTypeByMetadataName("Grad.Tensor");
        Ops = compilation.GetTypeByMetadataName("Grad.Ops");
        Layer = compilation.GetTypeByMetadataName(LayerAttribute);
        Param = compilation.GetTypeByMetadataName("Grad.ParamAttribute");
        State = compilation.GetTypeByMetadataName("Grad.StateAttribute");
        Forward = compilation.GetTypeByMetadataName("Grad.ForwardAttribute");
        Backward = compilation.GetTypeByMetadataName("Grad.BackwardAttribute");
        NoGrad = compilation.GetTypeByMetadataName("Grad.NoGradAttribute");
        Primitive = compilation.GetTypeByMetadataName("Grad.PrimitiveAttribute");
        Derivative = compilation.GetTypeByMetadataName("Grad.DerivativeAttribute");
        NonDifferentiable = compilation.GetTypeByMetadataName("Grad.NonDifferentiableAttribute");
        ElementwiseKernel = compilation.GetTypeByMetadataName("Grad.Fusion.ElementwiseKernel");
        MaxKernelInputs = Constant(ElementwiseKernel, "MaxInputs");
        MaxKernelOutputs = Constant(ElementwiseKernel, "MaxOutputs");
        Rewrite = compilation.GetTypeByMetadataName("Grad.RewriteAttribute");
        AsPrimitive = compilation.GetTypeByMetadataName("Grad.AsPrimitiveAttribute");
    }

    public const string ElementwiseAttribute = "Grad.ElementwiseAttribute";
    public const string PrimitiveAttribute = "Grad.PrimitiveAttribute";

    public INamedTypeSymbol? Tensor { get; }
    public INamedTypeSymbol? Ops { get; }
    public INamedTypeSymbol? Layer { get; }
    public INamedTypeSymbol? Param { get; }
    public INamedTypeSymbol? State { get; }
    public INamedTypeSymbol? Forward { get; }
    public INamedTypeSymbol? Backward { get; }
    public INamedTypeSymbol? NoGrad { get; }
    public INamedTypeSymbol? Primitive { get; }
    public INamedTypeSymbol? Derivative { get; }
    public INamedTypeSymbol? NonDifferentiable { get; }
    public INamedTypeSymbol? ElementwiseKernel { get; }

    /// <summary>How many inputs and outputs a fused kernel may have, as Grad.Core defines them.</summary>
    public int MaxKernelInputs { get; }
    public int MaxKernelOutputs { get; }

    private static int Constant(INamedTypeSymbol? type, string name) =>
        type?.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault()?.ConstantValue is int value ? value : 0;
    public INamedTypeSymbol? Rewrite { get; }
    public INamedTypeSymbol? AsPrimitive { get; }

    public bool IsTensor(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type, Tensor);

    public bool Has(ISymbol symbol, INamedTypeSymbol? attribute) => Find(symbol, attribute) is not null;

    public AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null) return null;
        foreach (var a in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)) return a;
        }
        return null;
    }

    public bool IsLayerType(ITypeSymbol? type) => type is not null && Has(type, Layer);
}
