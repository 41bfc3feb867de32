using Microsoft.CodeAnalysis;

namespace Grad.Generators;

/// <summary>
/// Differentiates <c>[Forward]</c> methods of <c>[Layer]</c> records and emits their backward
/// pass. The pipeline is wired into every consumer already; the differentiation itself is the
/// subject of the generator issue, so for now it registers no outputs.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LayerGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
