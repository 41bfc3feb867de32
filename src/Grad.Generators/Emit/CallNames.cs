using System.Linq;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>How calls print in one layer's generated code: primitives that implement an
/// operator as the operator (<see cref="Table"/>), others by bare name, qualified where the name
/// is also the layer's or a member's (a Conv2d layer calling the Conv2d primitive, a bool
/// member Log beside Ops.Log).</summary>
internal sealed class CallNames(LayerSpec layer, PrimitiveTable table)
{
    public PrimitiveTable Table { get; } = table;

    public string Of(string function)
    {
        if (function != layer.Name && !layer.DeclaredNames.Contains(function)) return function;
        var owner = layer.Functions.FirstOrDefault(f => f.Name == function)?.ContainingType ?? "global::Grad.Ops";
        return owner + "." + function;
    }
}
