using System.Linq;
using Grad.Generators.Fusion;

namespace Grad.Generators.Emit;

internal sealed partial class LayerEmitter
{
    private void EmitKernels()
    {
        foreach (var kernel in _kernels)
        {
            _w.Line();
            EmitKernel(kernel);
        }
    }

    /// <summary>Names as the reader knows them, whether the kernel runs in the forward or the backward.</summary>
    private string ForwardOrBackwardLeaf(Model.Expr e) => e is Model.TensorRef t ? t.Name : ForwardLeaf(e);

    /// <summary>A comment line per fused call in an expression: what it computes, in the layer's names.</summary>
    private void EmitFusedFormulas(Model.Expr e, ExprPrinter printer)
    {
        if (e is Model.FusedCall f)
            _w.Line($"// {f.Kernel}: {printer.Print(KernelsByName[f.Kernel].Original)}");
        var children = e switch
        {
            Model.Call c => c.Args.Select(a => a.Value),
            Model.FusedCall fc => fc.Inputs.AsEnumerable(),
            _ => Enumerable.Empty<Model.Expr>(),
        };
        foreach (var child in children) EmitFusedFormulas(child, printer);
    }

    private System.Collections.Generic.Dictionary<string, FusedKernel> KernelsByName =>
        _kernelsByName ??= _kernels.GroupBy(k => k.Name).ToDictionary(g => g.Key, g => g.First());
    private System.Collections.Generic.Dictionary<string, FusedKernel>? _kernelsByName;

    private void EmitKernel(FusedKernel kernel)
    {
        var formula = new ExprPrinter(ForwardOrBackwardLeaf, FunctionName).Print(kernel.Original);
        _w.Line($"/// <summary>Computes <c>{System.Security.SecurityElement.Escape(formula)}</c> in one pass.</summary>");
        _w.Open($"private sealed class {kernel.Name} : global::Grad.Fusion.ElementwiseKernel");
        new KernelWriter(_w).WriteMembers(kernel.Name, $"{_layer.Name}.{kernel.Name}", kernel.InputCount, kernel.ScalarCount, ElementProgram.Of(kernel.Body));
        _w.Close();
    }
}
